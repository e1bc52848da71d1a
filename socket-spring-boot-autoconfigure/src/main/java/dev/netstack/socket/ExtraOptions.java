package dev.netstack.socket;

import java.util.Objects;

/**
 * The options that every socket kind shares: the reference's {@code ExtraOptionsBase}. {@code null} means "not set":
 * only set fields are applied, so the seed's and the operating system's defaults stay in force for the rest.
 *
 * <p>UDP and TCP sockets take their subclasses; local sockets ({@link LocalSocket}, {@link LocalSocketServer}) take
 * this class itself, as the reference has no options of their own for them.
 */
public class ExtraOptions {

    private Integer receiveBufferSize;

    private Integer sendBufferSize;

    private Boolean reuseAddress;

    private Integer socketTimeout;

    /**
     * Returns the size of the receive buffer (SO_RCVBUF).
     * @return bytes, or {@code null} when not set
     */
    public Integer getReceiveBufferSize() {
        return this.receiveBufferSize;
    }

    /**
     * Sets the size of the receive buffer (SO_RCVBUF); the kernel may round it. Negative sizes fail with 401.
     * @param receiveBufferSize bytes, or {@code null} to leave it unset
     */
    public void setReceiveBufferSize(Integer receiveBufferSize) {
        this.receiveBufferSize = receiveBufferSize;
    }

    /**
     * Returns the size of the send buffer (SO_SNDBUF).
     * @return bytes, or {@code null} when not set
     */
    public Integer getSendBufferSize() {
        return this.sendBufferSize;
    }

    /**
     * Sets the size of the send buffer (SO_SNDBUF); the kernel may round it. Negative sizes fail with 401.
     * @param sendBufferSize bytes, or {@code null} to leave it unset
     */
    public void setSendBufferSize(Integer sendBufferSize) {
        this.sendBufferSize = sendBufferSize;
    }

    /**
     * Returns whether the local address may be reused (SO_REUSEADDR).
     * @return the flag, or {@code null} when not set
     */
    public Boolean getReuseAddress() {
        return this.reuseAddress;
    }

    /**
     * Sets whether the local address may be reused (SO_REUSEADDR). It takes effect at bind, so set it in the
     * factory's defaults; after bind it is applied to the channel but changes nothing already bound.
     * @param reuseAddress the flag, or {@code null} to leave it unset
     */
    public void setReuseAddress(Boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
    }

    /**
     * Returns how long a send may wait for the kernel to take its bytes.
     * @return milliseconds, or {@code null} when not set
     */
    public Integer getSocketTimeout() {
        return this.socketTimeout;
    }

    /**
     * Sets how long a send may wait for the kernel to take its bytes before it fails with 2301110 (default
     * 20000 ms). 0 means the default; negative values fail with 401.
     * @param socketTimeout milliseconds, or {@code null} to leave it unset
     */
    public void setSocketTimeout(Integer socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    /**
     * Copies the set fields of {@code other} over the fields of this object.
     * @param other the options to take
     */
    protected void mergeShared(ExtraOptions other) {
        if (other.receiveBufferSize != null) {
            this.receiveBufferSize = other.receiveBufferSize;
        }
        if (other.sendBufferSize != null) {
            this.sendBufferSize = other.sendBufferSize;
        }
        if (other.reuseAddress != null) {
            this.reuseAddress = other.reuseAddress;
        }
        if (other.socketTimeout != null) {
            this.socketTimeout = other.socketTimeout;
        }
    }

    /**
     * Tells whether the shared fields of both objects are equal.
     * @param other the other options
     * @return whether they are equal
     */
    protected boolean sharedEquals(ExtraOptions other) {
        return Objects.equals(this.receiveBufferSize, other.receiveBufferSize)
                && Objects.equals(this.sendBufferSize, other.sendBufferSize)
                && Objects.equals(this.reuseAddress, other.reuseAddress)
                && Objects.equals(this.socketTimeout, other.socketTimeout);
    }

    /**
     * Returns the hash of the shared fields.
     * @return the hash
     */
    protected int sharedHashCode() {
        return Objects.hash(this.receiveBufferSize, this.sendBufferSize, this.reuseAddress, this.socketTimeout);
    }

    /**
     * Describes the shared fields.
     * @return e.g. {@code receiveBufferSize=65536, sendBufferSize=null, ...}
     */
    protected String sharedToString() {
        return "receiveBufferSize=" + this.receiveBufferSize + ", sendBufferSize=" + this.sendBufferSize
                + ", reuseAddress=" + this.reuseAddress + ", socketTimeout=" + this.socketTimeout;
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == ExtraOptions.class && sharedEquals((ExtraOptions) other);
    }

    @Override
    public int hashCode() {
        return sharedHashCode();
    }

    @Override
    public String toString() {
        return "ExtraOptions[" + sharedToString() + "]";
    }

}

package dev.netstack.socket;

import java.util.Objects;

/**
 * Options of a TCP socket: the seed's {@code TCPExtraOptions}. A JavaBean, so that {@code application.yml}
 * ({@code socket.tcp.extra-options.*}) binds to it; {@code null} fields are not applied.
 */
public class TCPExtraOptions extends ExtraOptions {

    private Boolean keepAlive;

    private Boolean oobInline;

    private Boolean tcpNoDelay;

    private SocketLinger socketLinger;

    /**
     * Returns whether TCP keep-alive probes are sent (SO_KEEPALIVE).
     * @return the flag, or {@code null} when not set
     */
    public Boolean getKeepAlive() {
        return this.keepAlive;
    }

    /**
     * Sets whether TCP keep-alive probes are sent (SO_KEEPALIVE); the seed's default is {@code false}.
     * @param keepAlive the flag, or {@code null} to leave it unset
     */
    public void setKeepAlive(Boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

    /**
     * Returns whether urgent data is received inline (SO_OOBINLINE).
     * @return the flag, or {@code null} when not set
     */
    public Boolean getOOBInline() {
        return this.oobInline;
    }

    /**
     * Sets whether urgent data is received inline with the stream (SO_OOBINLINE); the seed's default is {@code false}.
     * @param oobInline the flag, or {@code null} to leave it unset
     */
    public void setOOBInline(Boolean oobInline) {
        this.oobInline = oobInline;
    }

    /**
     * Returns whether Nagle's algorithm is off (TCP_NODELAY).
     * @return the flag, or {@code null} when not set
     */
    public Boolean getTCPNoDelay() {
        return this.tcpNoDelay;
    }

    /**
     * Sets whether small sends go out at once, without Nagle's algorithm (TCP_NODELAY); the seed's default is
     * {@code false}.
     * @param tcpNoDelay the flag, or {@code null} to leave it unset
     */
    public void setTCPNoDelay(Boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
    }

    /**
     * Returns what {@code close()} does with unsent data (SO_LINGER).
     * @return the linger setting, or {@code null} when not set
     */
    public SocketLinger getSocketLinger() {
        return this.socketLinger;
    }

    /**
     * Sets what {@code close()} does with unsent data (SO_LINGER). {@code linger} is in milliseconds, 0 to 65535,
     * rounded up to whole seconds; outside that range it fails with 401.
     * @param socketLinger the linger setting, or {@code null} to leave it unset
     */
    public void setSocketLinger(SocketLinger socketLinger) {
        this.socketLinger = socketLinger;
    }

    /**
     * Returns a new object with the fields of this one, overridden by the set fields of {@code overrides}.
     * @param overrides the options that win, may be {@code null}
     * @return a new object
     */
    public TCPExtraOptions merge(TCPExtraOptions overrides) {
        TCPExtraOptions merged = new TCPExtraOptions();
        merged.copyFrom(this);
        if (overrides != null) {
            merged.copyFrom(overrides);
        }
        return merged;
    }

    private void copyFrom(TCPExtraOptions other) {
        mergeShared(other);
        if (other.keepAlive != null) {
            this.keepAlive = other.keepAlive;
        }
        if (other.oobInline != null) {
            this.oobInline = other.oobInline;
        }
        if (other.tcpNoDelay != null) {
            this.tcpNoDelay = other.tcpNoDelay;
        }
        if (other.socketLinger != null) {
            this.socketLinger = other.socketLinger;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TCPExtraOptions that && sharedEquals(that)
                && Objects.equals(this.keepAlive, that.keepAlive) && Objects.equals(this.oobInline, that.oobInline)
                && Objects.equals(this.tcpNoDelay, that.tcpNoDelay)
                && Objects.equals(this.socketLinger, that.socketLinger);
    }

    @Override
    public int hashCode() {
        return 31 * sharedHashCode() + Objects.hash(this.keepAlive, this.oobInline, this.tcpNoDelay, this.socketLinger);
    }

    @Override
    public String toString() {
        return "TCPExtraOptions[keepAlive=" + this.keepAlive + ", OOBInline=" + this.oobInline + ", TCPNoDelay="
                + this.tcpNoDelay + ", socketLinger=" + this.socketLinger + ", " + sharedToString() + "]";
    }

}

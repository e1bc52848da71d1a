package dev.netstack.socket;

/**
 * A TLS protocol version: the reference's {@code Protocol} enum ({@code "TLSv1.2"}, {@code "TLSv1.3"}).
 */
public enum TLSProtocol {

    /** TLS 1.2. */
    TLSv12("TLSv1.2"),

    /** TLS 1.3. */
    TLSv13("TLSv1.3");

    private final String protocolName;

    TLSProtocol(String protocolName) {
        this.protocolName = protocolName;
    }

    /**
     * Returns the reference's string for this version, which is also the JDK's protocol name.
     * @return {@code "TLSv1.2"} or {@code "TLSv1.3"}
     */
    public String protocolName() {
        return this.protocolName;
    }

    /**
     * Looks up a version by the reference's string.
     * @param name {@code "TLSv1.2"} or {@code "TLSv1.3"}
     * @return the version
     * @throws BusinessError 401 for {@code null} or any other name
     */
    public static TLSProtocol of(String name) {
        for (TLSProtocol protocol : values()) {
            if (protocol.protocolName.equals(name)) {
                return protocol;
            }
        }
        throw new BusinessError(BusinessError.PARAMETER_ERROR,
                "TLS protocol '" + name + "' is not one of TLSv1.2, TLSv1.3");
    }

    @Override
    public String toString() {
        return this.protocolName;
    }

}

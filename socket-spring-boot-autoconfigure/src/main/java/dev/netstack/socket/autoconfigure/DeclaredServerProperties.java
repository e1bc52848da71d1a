package dev.netstack.socket.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * A server declared in the configuration, under {@code socket.servers.<name>}: data only, as {@link SocketProperties}.
 */
public class DeclaredServerProperties {

    /**
     * Transport of the server.
     */
    private Protocol protocol = Protocol.TCP;

    /**
     * Local address to listen on: an IP literal, localhost, or a wildcard (0.0.0.0 or ::). Not used by local servers.
     */
    private String address = "0.0.0.0";

    /**
     * Port to listen on; 0 picks a free one. Required for tcp; not used by local servers.
     */
    private Integer port;

    /**
     * Path of the socket file of a local server, such as /run/app/telemetry.sock. Required for local only.
     */
    private String path;

    private final Framing framing = new Framing();

    private final Ssl ssl = new Ssl();

    public Protocol getProtocol() {
        return this.protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public String getAddress() {
        return this.address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public Integer getPort() {
        return this.port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getPath() {
        return this.path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Framing getFraming() {
        return this.framing;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    /**
     * The transport of a declared server.
     */
    public enum Protocol {

        /**
         * A TCPSocketServer.
         */
        TCP,

        /**
         * A TLSSocketServer, with the keys of ssl.bundle (or of socket.tls.bundle).
         */
        TLS,

        /**
         * A LocalSocketServer: a Unix domain stream server on a path.
         */
        LOCAL

    }

    /**
     * TLS of a declared server whose protocol is tls.
     */
    public static class Ssl {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.*) whose key, certificate, trust, protocols and ciphers the
         * server uses. Unset uses socket.tls.bundle.
         */
        private String bundle;

        /**
         * Whether a client must present a certificate that the bundle's trust accepts (mutual TLS).
         */
        private ClientAuth clientAuth = ClientAuth.NONE;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public ClientAuth getClientAuth() {
            return this.clientAuth;
        }

        public void setClientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }

    }

    /**
     * Whether a TLS server requires client certificates.
     */
    public enum ClientAuth {

        /**
         * No client certificate is asked for.
         */
        NONE,

        /**
         * A client certificate is required; a client without one fails its handshake.
         */
        NEED

    }

    /**
     * How the connections of a declared server cut their stream into messages.
     */
    public static class Framing {

        /**
         * Kind of frame: none (one message per read), lines, delimiter, length-field or fixed.
         */
        private FramingType type = FramingType.NONE;

        /**
         * Largest frame, without its delimiter or length field; a larger one resets the connection.
         */
        private DataSize maxLength = DataSize.ofKilobytes(64);

        /**
         * Delimiter of the delimiter type, as text (UTF-8), such as "\r\n\r\n".
         */
        private String delimiter;

        /**
         * Size of the length field of the length-field type: 1, 2 or 4 bytes, big-endian.
         */
        private int fieldBytes = 4;

        /**
         * Size of every record of the fixed type.
         */
        private DataSize size;

        public FramingType getType() {
            return this.type;
        }

        public void setType(FramingType type) {
            this.type = type;
        }

        public DataSize getMaxLength() {
            return this.maxLength;
        }

        public void setMaxLength(DataSize maxLength) {
            this.maxLength = maxLength;
        }

        public String getDelimiter() {
            return this.delimiter;
        }

        public void setDelimiter(String delimiter) {
            this.delimiter = delimiter;
        }

        public int getFieldBytes() {
            return this.fieldBytes;
        }

        public void setFieldBytes(int fieldBytes) {
            this.fieldBytes = fieldBytes;
        }

        public DataSize getSize() {
            return this.size;
        }

        public void setSize(DataSize size) {
            this.size = size;
        }

    }

    /**
     * The kinds of frame of a declared server.
     */
    public enum FramingType {

        /**
         * One message per read, as without framing.
         */
        NONE,

        /**
         * Lines ending in LF or CRLF.
         */
        LINES,

        /**
         * Frames ending in a delimiter.
         */
        DELIMITER,

        /**
         * Frames after a big-endian length field.
         */
        LENGTH_FIELD,

        /**
         * Records of a fixed size.
         */
        FIXED

    }

}

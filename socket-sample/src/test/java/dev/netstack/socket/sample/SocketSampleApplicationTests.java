package dev.netstack.socket.sample;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.event.SocketConnectEvent;
import dev.netstack.socket.event.SocketListeningEvent;
import dev.netstack.socket.event.SocketMessageEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a person meets it: its own application.yml, every port picked by the system, real loopback peers
 * (a JDK datagram socket as {@code nc -u}, a JDK socket as {@code nc}) and Actuator over HTTP as {@code curl}.
 *
 * <p>Only the UDP test sends UDP traffic, and the client sends one line (the interval is an hour), so the meters
 * can be checked for exact values.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.udp.port=0", "socket.servers.lines.port=0",
                "socket.servers.secure-lines.port=0", "sample.tcp.interval=1h" })
@Import(RecordedEvents.class)
@DirtiesContext
@Timeout(60)
class SocketSampleApplicationTests {

    /**
     * A socket file of each test context's own, so that contexts kept alive together do not share the local line
     * server's path; its server removes it when the context closes.
     */
    static final String OWN_LOCAL_PATH = "socket.servers.local-lines.path=${java.io.tmpdir}/sample-${random.uuid}.sock";

    @TempDir
    static Path socketDir;

    @DynamicPropertySource
    static void localLinePath(DynamicPropertyRegistry registry) {
        registry.add("socket.servers.local-lines.path", () -> socketDir.resolve("lines.sock").toString());
    }

    @LocalServerPort
    private int httpPort;

    @Autowired
    private UdpEchoService udpEcho;

    @Autowired
    @Qualifier("lines")
    private TCPSocketServer lineServer;

    @Autowired
    @Qualifier("local-lines")
    private LocalSocketServer localLineServer;

    @Autowired
    @Qualifier(SecureLineReplies.SERVER)
    private TLSSocketServer secureLineServer;

    @Autowired
    private RecordedEvents events;

    private Actuator actuator;

    @BeforeEach
    void actuator() {
        this.actuator = new Actuator(this.httpPort);
    }

    @Test
    void udpEchoAnswersADatagramAndTheMetersCountIt() throws Exception {
        NetAddress echo = this.udpEcho.localAddress();
        assertThat(echo.address()).isEqualTo("127.0.0.1");
        assertThat(echo.port()).isPositive();
        SocketListeningEvent listening = this.events.awaitEvent(SocketListeningEvent.class,
                (event) -> echo.equals(event.getLocalAddress()));
        assertThat(listening.getProtocol()).isEqualTo("udp");

        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(10_000);
            byte[] hello = "hello sample".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", echo.port())));
            DatagramPacket answer = new DatagramPacket(new byte[100], 100);
            peer.receive(answer);
            assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8))
                .isEqualTo("ack: hello sample");
            assertThat(answer.getPort()).isEqualTo(echo.port());

            SocketMessageEvent message = this.events.awaitEvent(SocketMessageEvent.class,
                    (event) -> event.getRemoteAddress().port() == peer.getLocalPort());
            assertThat(message.getProtocol()).isEqualTo("udp");
            assertThat(message.getSocketId()).isEqualTo(listening.getSocketId());
            assertThat(message.getMessage().text()).isEqualTo("hello sample");
        }
        // 12 bytes in, "ack: " + 12 bytes out.
        this.actuator.awaitMeter("socket.bytes.received", "protocol:udp", 12);
        this.actuator.awaitMeter("socket.messages.received", "protocol:udp", 1);
        this.actuator.awaitMeter("socket.bytes.sent", "protocol:udp", 17);
        this.actuator.awaitMeter("socket.messages.sent", "protocol:udp", 1);
    }

    @Test
    void tcpClientExchangesALineWithTheLineServer() throws Exception {
        int serverPort = lineServerPort();
        SocketConnectEvent connect = this.events.awaitEvent(SocketConnectEvent.class,
                (event) -> event.getRemoteAddress().port() == serverPort);
        assertThat(connect.getProtocol()).isEqualTo("tcp");
        assertThat(connect.getRemoteAddress().address()).isEqualTo("127.0.0.1");
        this.events.awaitReceivedText(connect.getSocketId(), "echo: ping 1");
        // "ping 1\n" out, "echo: ping 1\n" in, for the client socket alone: the meters of protocol tcp also count the
        // line server's connections, and the other tests of this context talk to the line server too.
        DocumentContext client = this.actuator.get("/actuator/sockets/" + connect.getSocketId());
        assertThat(client.read("$.bytesSent", Long.class)).isEqualTo(7);
        assertThat(client.read("$.bytesReceived", Long.class)).isEqualTo(13);
        this.actuator.awaitMeter("socket.connect", "outcome:success", 1);
    }

    @Test
    void lineServerAnswersEveryLineOfAClientLikeNc() throws Exception {
        try (Socket nc = new Socket()) {
            nc.connect(new InetSocketAddress("127.0.0.1", lineServerPort()), 10_000);
            nc.setSoTimeout(10_000);
            OutputStream out = nc.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(nc.getInputStream(), StandardCharsets.UTF_8));
            // Lines cut anywhere and joined in one write, and a CRLF line as from 'nc -C'.
            out.write("one\ntw".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("echo: one");
            out.write("o\r\nthree\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("echo: two");
            assertThat(in.readLine()).isEqualTo("echo: three");
        }
    }

    @Test
    void localLineServerAnswersEveryLineOfAClientLikeSocat() throws Exception {
        Path path = socketDir.resolve("lines.sock");
        assertThat(this.localLineServer.getLocalAddress().get(10, TimeUnit.SECONDS)).isEqualTo(path.toString());
        try (SocketChannel socat = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            socat.write(ByteBuffer.wrap("one\ntwo\r\n".getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(Channels.newReader(socat, StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("echo: one");
            assertThat(in.readLine()).isEqualTo("echo: two");
        }
        this.actuator.awaitMeter("socket.server.connections.accepted", "server:local-lines", 1);
    }

    @Test
    @Timeout(30)
    void tlsEchoAnswersALineOfAJdkTlsClientThatVerifiesTheSampleCertificate() throws Exception {
        int port = this.secureLineServer.getLocalAddress().get(10, TimeUnit.SECONDS).port();
        SSLContext trusting = trustingTheSampleCertificate();
        try (SSLSocket client = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters parameters = client.getSSLParameters();
            // As openssl s_client -verify_ip 127.0.0.1 does: the certificate must name the address.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            client.setSSLParameters(parameters);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write("hello tls\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("echo: hello tls");
            assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");

            SocketMessageEvent line = this.events.awaitEvent(SocketMessageEvent.class,
                    (event) -> event.getRemoteAddress().port() == client.getLocalPort());
            assertThat(line.getProtocol()).isEqualTo("tls");
            assertThat(line.getServerName()).isEqualTo(SecureLineReplies.SERVER);
            DocumentContext connection = this.actuator.get("/actuator/sockets/" + line.getSocketId());
            assertThat(connection.read("$.tls.protocol", String.class)).isEqualTo("TLSv1.3");
            assertThat(connection.read("$.tls.cipherSuite", String.class))
                .isEqualTo(client.getSession().getCipherSuite());
        }
        this.actuator.awaitMeter("socket.tls.handshakes", "server:" + SecureLineReplies.SERVER, 1);
    }

    private static SSLContext trustingTheSampleCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream pem = SocketSampleApplicationTests.class.getResourceAsStream("/sample-tls/sample-only.crt")) {
            trust.setCertificateEntry("sample", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    private int lineServerPort() throws Exception {
        return this.lineServer.getLocalAddress().get(10, TimeUnit.SECONDS).port();
    }

    @Test
    void healthIsUpWithTheSocketComponent() throws Exception {
        // The client connects in the background: wait for its socket to be counted.
        this.events.awaitEvent(SocketConnectEvent.class, (event) -> true);
        DocumentContext health = this.actuator.get("/actuator/health");
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.socket.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.components.socket.details.ioThreads", Integer.class)).isEqualTo(2);
        assertThat(health.read("$.components.socket.details.active.udp", Integer.class)).isEqualTo(1);
        // The client, the line server, and the connection it accepted from the client.
        assertThat(health.read("$.components.socket.details.active.tcp", Integer.class)).isEqualTo(3);
        assertThat(health.read("$.components.socket.details.pendingBytes.udp", Integer.class)).isZero();
    }

    @Test
    void socketsEndpointListsTheUdpSocketAndTheClientConnectionWithTheOptionsOfApplicationYml() throws Exception {
        this.events.awaitEvent(SocketConnectEvent.class, (event) -> true);
        DocumentContext sockets = this.actuator.get("/actuator/sockets");
        List<Map<String, Object>> udp = sockets.read("$.sockets[?(@.protocol == 'udp')]");
        assertThat(udp).hasSize(1);
        DocumentContext echo = JsonPath.parse(udp.get(0));
        assertThat(echo.read("$.localAddress.port", Integer.class)).isEqualTo(this.udpEcho.localAddress().port());
        assertThat(echo.read("$.state.isBound", Boolean.class)).isTrue();
        assertThat(echo.read("$.state.isClose", Boolean.class)).isFalse();
        assertThat(echo.read("$.options.broadcast", Boolean.class)).isFalse();
        assertThat(echo.read("$.options.receiveBufferSize", Integer.class)).isGreaterThanOrEqualTo(65536);
        assertThat(echo.read("$.options.socketTimeout", Integer.class)).isEqualTo(20000);

        List<Map<String, Object>> tcp = sockets.read("$.sockets[?(@.protocol == 'tcp' && @.kind == 'socket')]");
        assertThat(tcp).hasSize(1);
        DocumentContext client = JsonPath.parse(tcp.get(0));
        assertThat(client.read("$.remoteAddress.port", Integer.class)).isEqualTo(lineServerPort());
        assertThat(client.read("$.state.isConnected", Boolean.class)).isTrue();
        assertThat(client.read("$.options.keepAlive", Boolean.class)).isTrue();
        assertThat(client.read("$.options.TCPNoDelay", Boolean.class)).isTrue();
        // "on": false in application.yml: lingering off (-1), so a close sends FIN, not a reset.
        assertThat(client.read("$.options.socketLingerSeconds", Integer.class)).isEqualTo(-1);

        List<Map<String, Object>> servers = sockets.read("$.sockets[?(@.kind == 'server' && @.protocol == 'tcp')]");
        assertThat(servers).hasSize(1);
        DocumentContext server = JsonPath.parse(servers.get(0));
        assertThat(server.read("$.name", String.class)).isEqualTo("lines");
        assertThat(server.read("$.connections", Integer.class)).isEqualTo(1);
        assertThat(server.read("$.localAddress.port", Integer.class)).isEqualTo(lineServerPort());
        List<Map<String, Object>> accepted = sockets
            .read("$.sockets[?(@.kind == 'connection' && @.protocol == 'tcp')]");
        assertThat(accepted).hasSize(1);
        assertThat(JsonPath.parse(accepted.get(0)).read("$.server", Long.class))
            .isEqualTo(server.read("$.id", Long.class));
    }

}

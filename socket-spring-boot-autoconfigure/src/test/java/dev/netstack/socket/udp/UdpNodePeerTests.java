package dev.netstack.socket.udp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP socket against a peer this project did not write: Node.js's {@code dgram}, driven by
 * {@code src/test/node/udp-peer.js}. The peer reports what it received, so both directions are checked by the other
 * side: our datagrams as Node sees them, and Node's as our 'message' events show them.
 */
class UdpNodePeerTests extends UdpTestSupport {

    private static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "src", "test", "node",
            "udp-peer.js");

    private static final HexFormat HEX = HexFormat.of();

    /** The two families, as Node names its socket types and reports families. */
    enum Family {

        IPV4("udp4", "127.0.0.1", "IPv4", ANY_V4), IPV6("udp6", "::1", "IPv6", ANY_V6);

        final String nodeType;

        final String loopback;

        final String name;

        final NetAddress any;

        Family(String nodeType, String loopback, String name, NetAddress any) {
            this.nodeType = nodeType;
            this.loopback = loopback;
            this.name = name;
            this.any = any;
        }

    }

    private Process node;

    private Writer commands;

    private final BlockingQueue<DocumentContext> reports = new LinkedBlockingQueue<>();

    /** The output of {@code node --version}, or {@code null} when node cannot be started; probed once. */
    private static String nodeVersion;

    private static boolean probed;

    private static synchronized String nodeVersion() {
        if (!probed) {
            probed = true;
            try {
                Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
                String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                nodeVersion = (probe.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) && output.startsWith("v")) ? output : null;
            }
            catch (IOException ex) {
                nodeVersion = null;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return nodeVersion;
    }

    @BeforeEach
    void nodeIsInstalled() {
        // Per test rather than per class, so that every skipped test shows the reason in the report.
        Assumptions.assumeTrue(nodeVersion() != null,
                "skipped: 'node' (Node.js) is not on the PATH, and this test needs it as a UDP peer that this project"
                        + " did not write; CI installs it (.ci/run)");
        assertThat(SCRIPT).exists();
    }

    @AfterEach
    void stopNode() throws InterruptedException {
        if (this.node != null) {
            this.node.destroyForcibly();
            assertThat(this.node.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("node ended").isTrue();
        }
    }

    /**
     * Starts the peer and waits until it listens.
     * @return the peer's address
     */
    private NetAddress startNode(Family family) throws IOException, InterruptedException {
        this.node = new ProcessBuilder("node", SCRIPT.toString(), family.nodeType)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        this.commands = new OutputStreamWriter(this.node.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReports, "udp-peer-stdout");
        reader.setDaemon(true);
        reader.start();
        DocumentContext listening = nextReport("listening");
        assertThat(listening.read("$.address", String.class)).isEqualTo(family.loopback);
        return new NetAddress(family.loopback, listening.read("$.port", Integer.class), family.any.family());
    }

    private void readReports() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(this.node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                this.reports.add(JsonPath.parse(line));
            }
        }
        catch (IOException ex) {
            // The process was killed: nothing more to read.
        }
    }

    private DocumentContext nextReport(String event) throws InterruptedException {
        DocumentContext report = this.reports.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(report).as("a report from node within " + WAIT_SECONDS + " s").isNotNull();
        assertThat(report.read("$.event", String.class)).as(report.jsonString()).isEqualTo(event);
        return report;
    }

    private static List<byte[]> ourPayloads() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] large = new byte[8192];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 13 + 1);
        }
        return List.of("hello node".getBytes(StandardCharsets.UTF_8), allBytes, new byte[0], large);
    }

    /** What udp-peer.js sends on the burst command, written down here independently of the script. */
    private static List<byte[]> nodeBurst() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] pattern = new byte[4096];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) ((i * 7) % 256);
        }
        return List.of("hello from node".getBytes(StandardCharsets.UTF_8), allBytes, new byte[0], pattern,
                "grüße".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void nodeReceivesOurDatagramsExactlyAndEchoesThemBack(Family family) throws Exception {
        NetAddress peer = startNode(family);
        UDPSocket socket = boundSocket(family.any);
        Inbox inbox = Inbox.of(socket);
        NetAddress local = localAddress(socket);

        for (byte[] payload : ourPayloads()) {
            await(socket.send(new UDPSendOptions(payload, peer)));

            DocumentContext received = nextReport("received");
            assertThat(received.read("$.hex", String.class)).isEqualTo(HEX.formatHex(payload));
            assertThat(received.read("$.size", Integer.class)).isEqualTo(payload.length);
            assertThat(received.read("$.address", String.class)).isEqualTo(family.loopback);
            assertThat(received.read("$.family", String.class)).isEqualTo(family.name);
            assertThat(received.read("$.port", Integer.class)).isEqualTo(local.port());

            SocketMessageInfo echo = inbox.next();
            assertThat(echo.bytes()).isEqualTo(payload);
            assertThat(echo.remoteInfo())
                .isEqualTo(new SocketRemoteInfo(family.loopback, family.name, peer.port(), payload.length));
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aBurstFromNodeArrivesWholeWithNodesRemoteInfo(Family family) throws Exception {
        NetAddress peer = startNode(family);
        UDPSocket socket = boundSocket(family.any);
        Inbox inbox = Inbox.of(socket);
        NetAddress local = localAddress(socket);

        this.commands.write("{\"cmd\":\"burst\",\"address\":\"" + family.loopback + "\",\"port\":" + local.port()
                + "}\n");
        this.commands.flush();
        List<byte[]> expected = nodeBurst();
        assertThat(nextReport("burst-sent").read("$.count", Integer.class)).isEqualTo(expected.size());

        List<SocketMessageInfo> messages = inbox.next(expected.size());
        List<String> receivedHex = new ArrayList<>();
        for (SocketMessageInfo message : messages) {
            receivedHex.add(HEX.formatHex(message.bytes()));
            assertThat(message.remoteInfo())
                .isEqualTo(new SocketRemoteInfo(family.loopback, family.name, peer.port(), message.size()));
        }
        // UDP does not promise order, so compare as a multiset; the empty datagram is among them.
        assertThat(receivedHex).containsExactlyInAnyOrderElementsOf(expected.stream().map(HEX::formatHex).toList());
        assertThat(receivedHex).contains("");
        assertThat(inbox.drain()).isEmpty();
    }

}

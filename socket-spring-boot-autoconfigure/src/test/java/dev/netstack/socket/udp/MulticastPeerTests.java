package dev.netstack.socket.udp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.netns.InNetworkNamespace;
import dev.netstack.socket.netns.NetworkNamespace;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
/**
 * The multicast socket against peers this project did not write, in the same namespace: Node.js's {@code dgram}
 * ({@code addMembership}) and {@code socat} ({@code UDP4-RECVFROM} with {@code ip-add-membership}, and its IPv6
 * twin). Each side checks what the other sent, byte for byte.
 */
@InNetworkNamespace
class MulticastPeerTests extends MulticastTestSupport {

    private static final Path NODE_SCRIPT = Path.of(System.getProperty("basedir", "."), "src", "test", "node",
            "multicast-peer.js");

    private static final HexFormat HEX = HexFormat.of();

    private final List<Process> peers = new ArrayList<>();

    @AfterEach
    void stopPeers() throws InterruptedException {
        for (Process peer : this.peers) {
            peer.destroyForcibly();
            assertThat(peer.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("peer ended").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void nodeReceivesOurDatagramsToItsGroupAndWeReceiveNodes(Family family) throws Exception {
        family.assumeReady();
        assumeInstalled("node", "--version");
        Process node = start("node", NODE_SCRIPT.toString(), family == Family.IPV4 ? "udp4" : "udp6", family.groupA);
        BlockingQueue<DocumentContext> reports = jsonLines(node);
        int nodePort = next(reports, "listening").read("$.port", Integer.class);

        MulticastSocket sender = sender(family);
        byte[] ours = allByteValues();
        await(sender.send(new UDPSendOptions(ours, family.groupA(nodePort))));
        DocumentContext received = next(reports, "received");
        assertThat(received.read("$.hex", String.class)).isEqualTo(HEX.formatHex(ours));
        assertThat(received.read("$.port", Integer.class)).isEqualTo(port(sender));
        assertThat(received.read("$.family", String.class)).isEqualTo(family == Family.IPV4 ? "IPv4" : "IPv6");

        MulticastSocket member = member(family.groupA(0));
        Inbox inbox = Inbox.of(member);
        String fromNode = HEX.formatHex("grüße from node".getBytes(StandardCharsets.UTF_8));
        command(node, "{\"cmd\":\"send\",\"hex\":\"" + fromNode + "\",\"port\":" + port(member) + "}");
        assertThat(next(reports, "sent").read("$.port", Integer.class)).isEqualTo(port(member));
        SocketMessageInfo message = inbox.next();
        assertThat(message.text()).isEqualTo("grüße from node");
        assertThat(message.remoteInfo().port()).isEqualTo(nodePort);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void socatReceivesOurDatagramToAGroupItJoined(Family family) throws Exception {
        family.assumeReady();
        assumeInstalled("socat", "-V");
        int port = freePort(family);
        String receive = (family == Family.IPV4)
                ? "UDP4-RECVFROM:" + port + ",ip-add-membership=" + family.groupA + ":127.0.0.1,reuseaddr"
                : "UDP6-RECVFROM:" + port + ",ipv6-join-group=[" + family.groupA + "]:"
                        + NetworkNamespace.IPV6_INTERFACE + ",reuseaddr";
        Process socat = start("socat", "-u", receive, "STDOUT");
        socat.getOutputStream().close();
        MulticastSocket sender = sender(family);

        // socat says nothing once it is a member: send until it has received one datagram and ended.
        Awaitility.await().atMost(Duration.ofSeconds(WAIT_SECONDS)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send(sender, "hello socat\n", family.groupA(port));
            return !socat.isAlive();
        });
        assertThat(socat.exitValue()).isZero();
        assertThat(new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("hello socat\n");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void weReceiveWhatSocatSendsToOurGroup(Family family) throws Exception {
        family.assumeReady();
        assumeInstalled("socat", "-V");
        MulticastSocket member = member(family.groupA(0));
        Inbox inbox = Inbox.of(member);
        String group = (family == Family.IPV4) ? family.groupA : "[" + family.groupA + "]";
        Process socat = start("socat", "-u", "STDIN",
                (family == Family.IPV4 ? "UDP4" : "UDP6") + "-DATAGRAM:" + group + ":" + port(member)
                        + ",ip-multicast-ttl=1");
        try (OutputStream in = socat.getOutputStream()) {
            in.write("from socat\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(socat.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(socat.exitValue()).isZero();
        assertThat(inbox.next().text()).isEqualTo("from socat\n");
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.peers.add(process);
        return process;
    }

    private static void assumeInstalled(String... versionCommand) {
        boolean installed;
        try {
            Process probe = new ProcessBuilder(versionCommand).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            installed = probe.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException ex) {
            installed = false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            installed = false;
        }
        Assumptions.assumeTrue(installed, "skipped: '" + versionCommand[0] + "' is not on the PATH, and this test needs"
                + " it as a multicast peer that this project did not write; CI installs it (.ci/run)");
    }

    /** A port nobody in the namespace uses now; only this test's peers run here. */
    private static int freePort(Family family) throws IOException {
        try (DatagramChannel probe = DatagramChannel
            .open(family == Family.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    private static BlockingQueue<DocumentContext> jsonLines(Process process) {
        BlockingQueue<DocumentContext> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(JsonPath.parse(line));
                }
            }
            catch (IOException ex) {
                // The process was stopped: nothing more to read.
            }
        }, "multicast-peer-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static DocumentContext next(BlockingQueue<DocumentContext> reports, String event)
            throws InterruptedException {
        DocumentContext report = reports.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(report).as("a report from the peer within " + WAIT_SECONDS + " s").isNotNull();
        assertThat(report.read("$.event", String.class)).as(report.jsonString()).isEqualTo(event);
        return report;
    }

    private static void command(Process peer, String line) throws IOException {
        OutputStream in = peer.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static byte[] allByteValues() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

}

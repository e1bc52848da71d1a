package dev.netstack.socket.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * The peer as local processes: {@code socat} when it is installed (as {@code .ci/run} makes sure), else the Node.js
 * script {@code src/test/node/echo-peer.js}, which does the same with Node's own modules.
 */
final class ProcessEchoPeer implements EchoPeer {

    private static final Pattern LISTENING = Pattern.compile(".*listening on (?:AF=2 )?127\\.0\\.0\\.1:(\\d+).*");

    private static final Path NODE_SCRIPT = Path.of("src/test/node/echo-peer.js");

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final boolean socat;

    private final Process tcpEcho;

    private final int tcpEchoPort;

    private ProcessEchoPeer(boolean socat) throws Exception {
        this.socat = socat;
        this.tcpEcho = start(socat
                ? List.of("socat", "-d", "-d", "TCP-LISTEN:0,bind=127.0.0.1,reuseaddr,fork", "EXEC:cat")
                : List.of("node", NODE_SCRIPT.toString(), "tcp-echo"));
        try {
            String listening = new ProcessLines(this.tcpEcho, "tcp-echo-output")
                .await((line) -> LISTENING.matcher(line).matches(), TIMEOUT);
            Matcher port = LISTENING.matcher(listening);
            port.matches();
            this.tcpEchoPort = Integer.parseInt(port.group(1));
        }
        catch (Exception | AssertionError ex) {
            close();
            throw ex;
        }
    }

    /**
     * Starts the TCP echo server with socat, or Node.js when socat is missing; aborts the test when both are.
     * @return the peer
     */
    static ProcessEchoPeer start() throws Exception {
        if (runs("socat", "-V")) {
            return new ProcessEchoPeer(true);
        }
        Assumptions.assumeTrue(runs("node", "--version"),
                "neither socat nor Node.js (node) is installed: the real-peer test needs one of them");
        return new ProcessEchoPeer(false);
    }

    /**
     * Tells which program plays the peer.
     * @return {@code socat} or {@code node}
     */
    String program() {
        return this.socat ? "socat" : "node";
    }

    @Override
    public int tcpEchoPort() {
        return this.tcpEchoPort;
    }

    @Override
    public String udpExchange(int port, String line) throws Exception {
        Process client = start(this.socat ? List.of("socat", "-", "UDP:127.0.0.1:" + port)
                : List.of("node", NODE_SCRIPT.toString(), "udp", Integer.toString(port)));
        try {
            ProcessLines output = new ProcessLines(client, "udp-client-output");
            OutputStream input = client.getOutputStream();
            input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
            String answer = output.await((text) -> text.startsWith("ack: "), TIMEOUT);
            input.close();
            return answer;
        }
        finally {
            if (!client.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        // socat forks a child per connection: stop them too.
        this.tcpEcho.descendants().forEach(ProcessHandle::destroy);
        this.tcpEcho.destroy();
        try {
            if (!this.tcpEcho.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                this.tcpEcho.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}

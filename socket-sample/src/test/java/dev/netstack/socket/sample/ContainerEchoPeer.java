package dev.netstack.socket.sample;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The peer as {@code socat} in containers. The containers share the host's network, so that every packet stays on
 * 127.0.0.1 as in the other tests, and no port needs mapping (Docker maps no UDP for Testcontainers).
 */
final class ContainerEchoPeer implements EchoPeer {

    static final DockerImageName SOCAT = DockerImageName.parse("alpine/socat:1.8.0.3");

    private static final Pattern LISTENING = Pattern.compile("listening on AF=2 127\\.0\\.0\\.1:(\\d+)");

    private final GenericContainer<?> tcpEcho;

    private final int tcpEchoPort;

    private ContainerEchoPeer(GenericContainer<?> tcpEcho) {
        this.tcpEcho = tcpEcho;
        Matcher listening = LISTENING.matcher(tcpEcho.getLogs());
        if (!listening.find()) {
            throw new IllegalStateException("socat did not say where it listens: " + tcpEcho.getLogs());
        }
        this.tcpEchoPort = Integer.parseInt(listening.group(1));
    }

    /**
     * Starts the TCP echo server: {@code socat TCP-LISTEN:0,fork EXEC:cat} on 127.0.0.1, on a port the system picks.
     * @return the peer
     */
    @SuppressWarnings("resource")
    static ContainerEchoPeer start() {
        GenericContainer<?> tcpEcho = new GenericContainer<>(SOCAT).withNetworkMode("host")
            .withCommand("-d", "-d", "TCP-LISTEN:0,bind=127.0.0.1,reuseaddr,fork", "EXEC:cat")
            .waitingFor(Wait.forLogMessage(".*listening on .*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        tcpEcho.start();
        return new ContainerEchoPeer(tcpEcho);
    }

    @Override
    public int tcpEchoPort() {
        return this.tcpEchoPort;
    }

    @Override
    public String udpExchange(int port, String line) {
        // One datagram from a socat in a one-shot container; socat waits 2 s for answers after it has sent.
        try (GenericContainer<?> client = new GenericContainer<>(SOCAT).withNetworkMode("host")
            .withCreateContainerCmdModifier((command) -> command.withEntrypoint("/bin/sh"))
            .withEnv("LINE", line)
            .withCommand("-c", "printf '%s\\n' \"$LINE\" | socat -t 2 - UDP:127.0.0.1:" + port)
            .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            client.start();
            return client.getLogs(OutputType.STDOUT)
                .lines()
                .filter((text) -> text.startsWith("ack: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no answer; the container printed " + client.getLogs()));
        }
    }

    @Override
    public void close() {
        this.tcpEcho.stop();
    }

}

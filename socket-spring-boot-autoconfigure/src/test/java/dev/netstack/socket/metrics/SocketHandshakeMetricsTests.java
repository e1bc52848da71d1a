package dev.netstack.socket.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.NioServerSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake timer as the observer hook feeds it; the handshakes of real TLS sockets are in
 * {@code TlsSpringIntegrationTests}.
 */
class SocketHandshakeMetricsTests {

    private final NioSocketFactory factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final SocketHandshakeMetrics metrics = new SocketHandshakeMetrics(List.of("devices"));

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void successAndUsualFailuresAreRegisteredUpFrontForEveryServerAtZero() {
        this.metrics.bindTo(this.registry);
        for (String server : List.of("", "devices")) {
            assertThat(timer(server, "success", "none").count()).isZero();
            for (int code : SocketHandshakeMetrics.USUAL_FAILURES) {
                assertThat(timer(server, "failure", Integer.toString(code)).count()).isZero();
            }
        }
    }

    @Test
    void eachHandshakeIsRecordedUnderItsOutcomeCodeAndServer() {
        this.metrics.bindTo(this.registry);
        NioSocket client = (NioSocket) this.factory.constructTCPSocketInstance();
        NioServerSocket<?> named = (NioServerSocket<?>) this.factory.constructTCPSocketServerInstance();
        named.name("devices");
        this.metrics.handshakeCompleted(client, TimeUnit.MILLISECONDS.toNanos(4), null);
        this.metrics.handshakeCompleted(client, TimeUnit.MILLISECONDS.toNanos(6), null);
        this.metrics.handshakeCompleted(client, TimeUnit.MILLISECONDS.toNanos(9),
                new BusinessError(2303504, "certificate verification failed"));
        this.metrics.handshakeCompleted(named, TimeUnit.MILLISECONDS.toNanos(7),
                new BusinessError(2303506, "the peer ended the session"));
        assertThat(timer("", "success", "none").count()).isEqualTo(2);
        assertThat(timer("", "success", "none").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10);
        assertThat(timer("", "failure", "2303504").count()).isEqualTo(1);
        assertThat(timer("devices", "failure", "2303506").max(TimeUnit.MILLISECONDS)).isEqualTo(7);
        assertThat(timer("devices", "success", "none").count()).isZero();
    }

    @Test
    void handshakesBeforeBindingAreNotRecordedAndNothingFails() {
        NioSocket client = (NioSocket) this.factory.constructTCPSocketInstance();
        this.metrics.handshakeCompleted(client, 1000, null);
        this.metrics.bindTo(this.registry);
        this.metrics.handshakeCompleted(client, 2000, null);
        assertThat(timer("", "success", "none").count()).isEqualTo(1);
    }

    private Timer timer(String server, String outcome, String code) {
        return this.registry.get("socket.tls.handshakes")
            .tags("protocol", "tls", "server", server, "outcome", outcome, "code", code)
            .timer();
    }

}

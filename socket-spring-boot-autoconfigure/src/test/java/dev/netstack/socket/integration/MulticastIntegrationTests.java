package dev.netstack.socket.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.actuate.SocketsEndpoint.SocketDescriptor;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.autoconfigure.actuate.SocketsEndpointAutoConfiguration;
import dev.netstack.socket.autoconfigure.metrics.SocketMetricsAutoConfiguration;
import dev.netstack.socket.event.SocketMembershipEvent;
import dev.netstack.socket.netns.InNetworkNamespace;
import dev.netstack.socket.netns.NetworkNamespace;
import dev.netstack.socket.nio.NioSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A multicast socket of the {@code SocketFactory} bean: the {@code socket.multicast.*} properties set it up, and
 * application events, the {@code socket.multicast.memberships} meter and the {@code sockets} endpoint show the groups
 * it has joined.
 */
@InNetworkNamespace
@Timeout(60)
class MulticastIntegrationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, SocketsEndpointAutoConfiguration.class))
        .withUserConfiguration(MembershipListener.class)
        .withPropertyValues("socket.io-threads=1", "management.endpoints.web.exposure.include=sockets",
                "socket.multicast.interface=lo", "socket.multicast.ttl=0", "socket.multicast.loopback-mode=true");

    @Test
    void eventsTheMeterAndTheEndpointShowTheGroupsASocketHasJoined() {
        NetworkNamespace.assumeFamily(NetAddress.IPV4);
        this.contextRunner.run((context) -> {
            MulticastSocket socket = context.getBean(SocketFactory.class).constructMulticastSocketInstance();
            socket.addMembership(new NetAddress("239.255.77.5", 0)).get(10, TimeUnit.SECONDS);
            int port = socket.getLocalAddress().get(10, TimeUnit.SECONDS).port();
            NetAddress five = new NetAddress("239.255.77.5", port);
            NetAddress six = new NetAddress("239.255.77.6", port);
            socket.addMembership(six).get(10, TimeUnit.SECONDS);
            socket.dropMembership(five).get(10, TimeUnit.SECONDS);

            List<SocketMembershipEvent> events = context.getBean(MembershipListener.class).events;
            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
            assertThat(events).extracting(SocketMembershipEvent::isJoined).containsExactly(true, true, false);
            assertThat(events).extracting(SocketMembershipEvent::getGroup).containsExactly(five, six, five);
            assertThat(events).extracting(SocketMembershipEvent::getGroups)
                .containsExactly(List.of(five), List.of(five, six), List.of(six));
            assertThat(events).allSatisfy((event) -> {
                assertThat(event.getSocket()).isSameAs(socket);
                assertThat(event.getProtocol()).isEqualTo("udp");
                assertThat(event.getLocalAddress()).isEqualTo(new NetAddress("0.0.0.0", port));
            });

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("socket.multicast.memberships").tag("protocol", "udp").gauge().value())
                .isEqualTo(1);

            SocketDescriptor described = context.getBean(SocketsEndpoint.class).socket(((NioSocket) socket).id());
            assertThat(described.protocol()).isEqualTo("udp");
            assertThat(described.groups()).containsExactly(six);
            assertThat(described.options()).containsEntry("multicastTTL", 0).containsEntry("loopbackMode", true);
            assertThat(socket.getMulticastTTL().get(10, TimeUnit.SECONDS)).isZero();

            socket.close().get(10, TimeUnit.SECONDS);
            assertThat(registry.get("socket.multicast.memberships").tag("protocol", "udp").gauge().value()).isZero();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class MembershipListener {

        final List<SocketMembershipEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void onMembership(SocketMembershipEvent event) {
            this.events.add(event);
        }

    }

}

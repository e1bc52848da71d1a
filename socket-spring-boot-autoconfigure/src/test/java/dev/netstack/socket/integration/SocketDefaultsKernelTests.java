package dev.netstack.socket.integration;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults of {@code application.yml} reach the kernel: the options are read back from the channel of a socket
 * the application bound, and differ from those of a socket without them.
 */
@Timeout(60)
class SocketDefaultsKernelTests {

    @Test
    void ymlDefaultsAreAppliedToTheChannelBeforeBind() throws Exception {
        Map<String, Object> configured;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketsApplication.class)
            .web(WebApplicationType.NONE)
            .properties("spring.config.name=socket-kernel", "spring.main.banner-mode=off")
            .run()) {
            configured = optionsOfBoundSocket(context.getBean(SocketFactory.class));
        }
        Map<String, Object> plain;
        try (NioSocketFactory factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build())) {
            plain = optionsOfBoundSocket(factory);
        }
        // Linux reports twice the size asked for (room for its bookkeeping); other kernels report it as set.
        assertThat((Integer) configured.get("receiveBufferSize")).isBetween(32 * 1024, 64 * 1024);
        assertThat((Integer) configured.get("sendBufferSize")).isBetween(48 * 1024, 96 * 1024);
        assertThat(configured).containsEntry("reuseAddress", true).containsEntry("broadcast", true);
        assertThat(plain).containsEntry("reuseAddress", false).containsEntry("broadcast", false);
        assertThat(plain.get("receiveBufferSize")).isNotEqualTo(configured.get("receiveBufferSize"));
    }

    private static Map<String, Object> optionsOfBoundSocket(SocketFactory factory) throws Exception {
        UDPSocket socket = factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        try {
            return ((NioSocket) socket).effectiveOptions().get(5, TimeUnit.SECONDS);
        }
        finally {
            socket.close().get(5, TimeUnit.SECONDS);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SocketAutoConfiguration.class)
    static class SocketsApplication {

    }

}

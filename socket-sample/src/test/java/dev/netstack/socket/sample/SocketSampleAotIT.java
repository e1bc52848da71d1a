package dev.netstack.socket.sample;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.event.SocketMessageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The sample as the build processed it ahead of time ({@code spring-boot:process-aot} at prepare-package), started
 * from the generated {@code SocketSampleApplication__ApplicationContextInitializer} as
 * {@code java -Dspring.aot.enabled=true -jar} starts it (failsafe sets the property). Conditions were evaluated at
 * build time with the sample's application.yml; ports are given at run time.
 */
@Timeout(120)
@ExtendWith(OutputCaptureExtension.class)
class SocketSampleAotIT {

    private static final String[] FREE_PORTS = { "--sample.udp.port=0", "--socket.servers.lines.port=0",
            "--socket.servers.secure-lines.port=0", "--server.port=0", "--sample.tcp.interval=1h",
            "--spring.main.banner-mode=off" };

    @Test
    void startsFromTheGeneratedInitializerAndItsSocketsAndEventsWork(CapturedOutput output) throws Exception {
        assertThat(AotDetector.useGeneratedArtifacts()).as("spring.aot.enabled").isTrue();
        BlockingQueue<SocketMessageEvent> messages = new LinkedBlockingQueue<>();
        SpringApplication application = sample();
        application.addListeners(new MessageListener(messages));
        try (ConfigurableApplicationContext context = application.run(FREE_PORTS)) {
            assertThat(output).contains("Starting AOT-processed SocketSampleApplication");
            NetAddress echo = context.getBean(UdpEchoService.class).localAddress();
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                peer.setSoTimeout(10_000);
                byte[] hello = "hello aot".getBytes(StandardCharsets.UTF_8);
                peer.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", echo.port())));
                DatagramPacket answer = new DatagramPacket(new byte[100], 100);
                peer.receive(answer);
                assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("ack: hello aot");
            }
            SocketMessageEvent message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a UDP message event within 10 s").isNotNull();
            assertThat(message.getMessage().text()).isEqualTo("hello aot");
            // The SocketEventLogger of the sample, an @EventListener registered by generated code. It gets the event
            // after the test's listener, on the same thread, so its line may come a moment after the poll returns.
            String logged = "Message: udp socket " + message.getSocketId() + " received 9 bytes";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output).contains(logged));
        }
    }

    @Test
    void typoUnderSocketStillStopsTheStart(CapturedOutput output) {
        SpringApplication application = sample();
        String[] args = { "--sample.udp.port=0", "--socket.servers.lines.port=0", "--server.port=0",
                "--spring.main.banner-mode=off", "--socket.tcp.conect-timeout=1s" };
        assertThatException().isThrownBy(() -> application.run(args))
            .havingRootCause()
            .isInstanceOf(UnboundConfigurationPropertiesException.class);
        assertThat(output).contains("Starting AOT-processed SocketSampleApplication")
            .contains("The elements [socket.tcp.conect-timeout] were left unbound.");
    }

    @Test
    void buildRegisteredTheHintsOfTheStarter() throws Exception {
        // Written by the AOT processing for native-image: the starter's own hints (aot.factories) and those that
        // Spring Boot infers for its properties and its endpoint.
        ClassPathResource metadata = new ClassPathResource(
                "META-INF/native-image/dev.netstack/socket-sample/reachability-metadata.json");
        String json;
        try (InputStream in = metadata.getInputStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(json).contains("\"dev.netstack.socket.event.SocketMessageEvent\"")
            .contains("\"dev.netstack.socket.SocketMessageInfo\"")
            .contains("\"dev.netstack.socket.autoconfigure.SocketProperties$SocketLinger\"")
            .contains("\"dev.netstack.socket.actuate.SocketsEndpoint$SocketsDescriptor\"");
    }

    private static SpringApplication sample() {
        SpringApplication application = new SpringApplication(SocketSampleApplication.class);
        // The initializer is looked up by the main class's name; here main() is the test runner's.
        application.setMainApplicationClass(SocketSampleApplication.class);
        return application;
    }

    private static final class MessageListener implements ApplicationListener<SocketMessageEvent> {

        private final BlockingQueue<SocketMessageEvent> messages;

        MessageListener(BlockingQueue<SocketMessageEvent> messages) {
            this.messages = messages;
        }

        @Override
        public void onApplicationEvent(SocketMessageEvent event) {
            // The sample's TCP client exchanges a line too: only the datagrams of the test count.
            if ("udp".equals(event.getProtocol())) {
                this.messages.add(event);
            }
        }

    }

}

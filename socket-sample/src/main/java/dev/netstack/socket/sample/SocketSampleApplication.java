package dev.netstack.socket.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The sample application of the socket starter: a UDP socket that answers every datagram, a TCP client that
 * exchanges lines with a peer and reconnects when it goes away, a small line server for it to talk to, and listeners
 * that log every socket event. Actuator shows the {@code socket} health, the {@code socket.*} meters and the
 * {@code sockets} endpoint. It runs until it is stopped.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SocketSampleApplication {

    /**
     * Starts the application.
     * @param args command-line arguments, such as {@code --sample.udp.port=19999}
     */
    public static void main(String[] args) {
        SpringApplication.run(SocketSampleApplication.class, args);
    }

}

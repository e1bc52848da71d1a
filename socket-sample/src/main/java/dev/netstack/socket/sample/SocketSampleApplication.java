package dev.netstack.socket.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application of the socket starter.
 */
@SpringBootApplication
public class SocketSampleApplication {

    /**
     * Starts the application.
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(SocketSampleApplication.class, args);
    }

}

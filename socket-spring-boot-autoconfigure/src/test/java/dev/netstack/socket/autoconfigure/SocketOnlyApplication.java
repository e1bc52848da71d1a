package dev.netstack.socket.autoconfigure;

import java.nio.charset.StandardCharsets;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application whose only work is one UDP socket: {@code main} returns at once, and the socket's event loop keeps
 * the JVM alive. It answers "ping" with "pong", and closes its context on "stop". Run by
 * {@link SocketOnlyApplicationTests} in a JVM of its own.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class SocketOnlyApplication {

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SocketOnlyApplication.class)
            .web(WebApplicationType.NONE)
            .properties("socket.io-threads=1", "spring.main.banner-mode=off", "logging.level.root=warn")
            .run(args);
        UDPSocket socket = context.getBean(SocketFactory.class).constructUDPSocketInstance();
        socket.on(SocketEventType.MESSAGE, (message) -> {
            if ("stop".equals(message.text())) {
                // Off the loop: closing the context waits for the loop threads to end.
                new Thread(context::close, "closer").start();
            }
            else {
                socket.send(new UDPSendOptions("pong".getBytes(StandardCharsets.UTF_8),
                        new NetAddress(message.remoteInfo().address(), message.remoteInfo().port())));
            }
        });
        socket.bind(new NetAddress("127.0.0.1", 0)).get();
        System.out.println("PORT " + socket.getLocalAddress().get().port());
        System.out.println("MAIN RETURNS");
        System.out.flush();
    }

}

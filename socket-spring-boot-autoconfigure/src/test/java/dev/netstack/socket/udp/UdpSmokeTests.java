package dev.netstack.socket.udp;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class UdpSmokeTests {

    @Test
    void datagramTravelsBetweenTwoSocketsOnLoopback() throws Exception {
        try (NioSocketFactory factory = NioSocketFactory.create()) {
            UDPSocket receiver = factory.constructUDPSocketInstance();
            UDPSocket sender = factory.constructUDPSocketInstance();
            LinkedBlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
            receiver.on(SocketEventType.MESSAGE, received::add);
            receiver.bind(new NetAddress("127.0.0.1", 0)).get();
            sender.bind(new NetAddress("127.0.0.1", 0)).get();
            NetAddress to = receiver.getLocalAddress().get();
            sender.send(new UDPSendOptions("hello", to)).get();
            SocketMessageInfo message = received.poll(5, TimeUnit.SECONDS);
            assertThat(message.text()).isEqualTo("hello");
            assertThat(message.remoteInfo().port()).isEqualTo(sender.getLocalAddress().get().port());
        }
    }

}

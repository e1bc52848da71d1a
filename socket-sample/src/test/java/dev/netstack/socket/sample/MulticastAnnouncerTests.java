package dev.netstack.socket.sample;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.event.SocketMembershipEvent;
import dev.netstack.socket.netns.InNetworkNamespace;
import dev.netstack.socket.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with its multicast announcer turned on, in the private network namespace of the {@code netns} test
 * execution: a member of the group hears the announcements, and the sample logs what the member says on the group.
 */
@InNetworkNamespace
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
        properties = { "sample.udp.port=0", SocketSampleApplicationTests.OWN_LOCAL_PATH, "socket.servers.lines.port=0", "socket.servers.secure-lines.port=0", "sample.tcp.interval=1h",
                "sample.multicast.enabled=true", "sample.multicast.port=0", "sample.multicast.interval=200ms" })
@Import(RecordedEvents.class)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@Timeout(60)
class MulticastAnnouncerTests {

    @Autowired
    private MulticastAnnouncer announcer;

    @Autowired
    private UdpEchoService udpEcho;

    @Autowired
    private SocketFactory socketFactory;

    @Autowired
    private RecordedEvents events;

    @Test
    void aMemberOfTheGroupHearsTheAnnouncementsAndTheSampleLogsWhatTheMemberSays(CapturedOutput output)
            throws Exception {
        NetworkNamespace.assumeFamily(NetAddress.IPV4);
        NetAddress group = this.announcer.group();
        assertThat(group.address()).isEqualTo("239.255.77.77");
        SocketMembershipEvent joined = this.events.awaitEvent(SocketMembershipEvent.class,
                SocketMembershipEvent::isJoined);
        assertThat(joined.getGroup()).isEqualTo(group);

        MulticastSocket member = this.socketFactory.constructMulticastSocketInstance();
        BlockingQueue<SocketMessageInfo> heard = new LinkedBlockingQueue<>();
        member.on(SocketEventType.MESSAGE, heard::add);
        member.setReuseAddress(true);
        try {
            member.addMembership(group).get(10, TimeUnit.SECONDS);
            SocketMessageInfo announcement = heard.poll(10, TimeUnit.SECONDS);
            assertThat(announcement).as("an announcement within 10 s").isNotNull();
            assertThat(announcement.text()).matches("socket-sample " + ProcessHandle.current().pid()
                    + " #\\d+: UDP echo on 127\\.0\\.0\\.1:" + this.udpEcho.localAddress().port());

            member.send(new UDPSendOptions("hello from a member", group)).get(10, TimeUnit.SECONDS);
            int memberPort = member.getLocalAddress().get(10, TimeUnit.SECONDS).port();
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(output).contains("Heard on 239.255.77.77:" + group.port()
                        + " from 127.0.0.1:" + memberPort + ": 'hello from a member'"));
        }
        finally {
            member.close().get(10, TimeUnit.SECONDS);
        }
    }

}

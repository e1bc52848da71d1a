package dev.netstack.socket.udp;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bind, getLocalAddress and getState of a UDP socket, in both forms, for every kind of local address.
 */
class UdpBindTests extends UdpTestSupport {

    @ParameterizedTest
    @EnumSource(Form.class)
    void bindToIpv4LiteralOnPortZeroPicksAFreePort(Form form) {
        UDPSocket socket = newSocket();
        await(bind(socket, new NetAddress("127.0.0.1", 0, NetAddress.IPV4), form));
        NetAddress local = await(getLocalAddress(socket, form));
        assertThat(local.address()).isEqualTo("127.0.0.1");
        assertThat(local.family()).isEqualTo(NetAddress.IPV4);
        assertThat(local.port()).isBetween(1, 65535);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void bindToIpv6LiteralOnPortZeroPicksAFreePort(Form form) {
        UDPSocket socket = newSocket();
        await(bind(socket, new NetAddress("::1", 0, NetAddress.IPV6), form));
        NetAddress local = await(getLocalAddress(socket, form));
        assertThat(local.address()).isEqualTo("::1");
        assertThat(local.family()).isEqualTo(NetAddress.IPV6);
        assertThat(local.port()).isBetween(1, 65535);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void bindToLocalhostUsesTheLoopbackOfTheFamily(Form form) {
        UDPSocket v4 = newSocket();
        UDPSocket v6 = newSocket();
        await(bind(v4, new NetAddress("localhost", 0, NetAddress.IPV4), form));
        await(bind(v6, new NetAddress("localhost", 0, NetAddress.IPV6), form));
        assertThat(await(getLocalAddress(v4, form)).address()).isEqualTo("127.0.0.1");
        assertThat(await(getLocalAddress(v6, form)).address()).isEqualTo("::1");
        assertThat(await(getLocalAddress(v6, form)).family()).isEqualTo(NetAddress.IPV6);
    }

    @Test
    void constructorsWithoutPortAndFamilyMeanAnyPortOverIpv4() {
        UDPSocket socket = boundSocket(new NetAddress("127.0.0.1"));
        NetAddress local = localAddress(socket);
        assertThat(local.family()).isEqualTo(NetAddress.IPV4);
        assertThat(local.port()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void ipv4WildcardReceivesWhatIsSentToLoopback(Form form) throws Exception {
        UDPSocket receiver = newSocket();
        Inbox inbox = Inbox.of(receiver);
        await(bind(receiver, new NetAddress("0.0.0.0", 0, NetAddress.IPV4), form));
        NetAddress local = await(getLocalAddress(receiver, form));
        assertThat(local.address()).isEqualTo("0.0.0.0");
        assertThat(local.family()).isEqualTo(NetAddress.IPV4);

        UDPSocket sender = boundSocket(ANY_V4);
        await(sender.send(new UDPSendOptions("to the wildcard", new NetAddress("127.0.0.1", local.port()))));
        SocketMessageInfo message = inbox.next();
        assertThat(message.text()).isEqualTo("to the wildcard");
        assertThat(message.remoteInfo().port()).isEqualTo(localAddress(sender).port());
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void ipv6WildcardReceivesFromBothFamilies(Form form) throws Exception {
        UDPSocket receiver = newSocket();
        Inbox inbox = Inbox.of(receiver);
        await(bind(receiver, new NetAddress("::", 0, NetAddress.IPV6), form));
        NetAddress local = await(getLocalAddress(receiver, form));
        assertThat(local.address()).isEqualTo("::");
        assertThat(local.family()).isEqualTo(NetAddress.IPV6);

        UDPSocket v6 = boundSocket(ANY_V6);
        await(v6.send(new UDPSendOptions("over IPv6", new NetAddress("::1", local.port(), NetAddress.IPV6))));
        SocketMessageInfo fromV6 = inbox.next();
        assertThat(fromV6.text()).isEqualTo("over IPv6");
        assertThat(fromV6.remoteInfo().address()).isEqualTo("::1");
        assertThat(fromV6.remoteInfo().family()).isEqualTo("IPv6");

        // A dual-stack wildcard also takes IPv4; the sender is reported as the IPv4 address it is.
        UDPSocket v4 = boundSocket(ANY_V4);
        await(v4.send(new UDPSendOptions("over IPv4", new NetAddress("127.0.0.1", local.port()))));
        SocketMessageInfo fromV4 = inbox.next();
        assertThat(fromV4.text()).isEqualTo("over IPv4");
        assertThat(fromV4.remoteInfo().address()).isEqualTo("127.0.0.1");
        assertThat(fromV4.remoteInfo().family()).isEqualTo("IPv4");
        assertThat(fromV4.remoteInfo().port()).isEqualTo(localAddress(v4).port());
    }

    @Test
    void bindToAGivenPortUsesExactlyThatPort() {
        // Learn a free port from the kernel, release it, and bind to it by number.
        UDPSocket probe = boundSocket(ANY_V4);
        int port = localAddress(probe).port();
        await(probe.close());
        UDPSocket socket = boundSocket(new NetAddress("127.0.0.1", port));
        assertThat(localAddress(socket)).isEqualTo(new NetAddress("127.0.0.1", port, NetAddress.IPV4));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void stateGoesFromNothingToBoundToClosed(Form form) {
        UDPSocket socket = newSocket();
        assertThat(await(getState(socket, form))).isEqualTo(new SocketStateBase(false, false, false));
        await(bind(socket, ANY_V4, form));
        assertThat(await(getState(socket, form))).isEqualTo(new SocketStateBase(true, false, false));
        await(close(socket, form));
        assertThat(await(getState(socket, form))).isEqualTo(new SocketStateBase(false, true, false));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void stateOfANeverBoundSocketAfterCloseIsClosedOnly(Form form) {
        UDPSocket socket = newSocket();
        await(close(socket, form));
        assertThat(await(getState(socket, form))).isEqualTo(new SocketStateBase(false, true, false));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void addressInUseFailsWithoutMovingToAnotherPortAndLeavesTheSocketUsable(Form form) throws Exception {
        UDPSocket owner = newSocket();
        Inbox ownerInbox = Inbox.of(owner);
        await(owner.bind(ANY_V4));
        NetAddress taken = localAddress(owner);

        UDPSocket late = newSocket();
        AtomicInteger listening = new AtomicInteger();
        late.on(SocketEventType.LISTENING, ignored -> listening.incrementAndGet());
        BusinessError error = failure(bind(late, taken, form));
        assertThat(error.getCode()).isEqualTo(BusinessError.ADDRESS_IN_USE);
        assertThat(error.getMessage()).contains(String.valueOf(taken.port()));
        // Neither bound elsewhere nor announced as listening.
        assertThat(await(late.getState())).isEqualTo(new SocketStateBase(false, false, false));
        assertThat(failure(late.getLocalAddress()).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        assertThat(listening).hasValue(0);

        // The failed attempt left nothing half-open: the same socket binds afterwards, and the owner still receives.
        await(bind(late, ANY_V4, form));
        assertThat(listening).hasValue(1);
        assertThat(localAddress(late).port()).isNotEqualTo(taken.port());
        await(late.send(new UDPSendOptions("still yours", taken)));
        assertThat(ownerInbox.next().text()).isEqualTo("still yours");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void bindingABoundSocketAgainFailsAndKeepsTheFirstAddress(Form form) {
        UDPSocket socket = boundSocket(ANY_V4);
        NetAddress first = localAddress(socket);
        BusinessError error = failure(bind(socket, ANY_V4, form));
        assertThat(error.getCode()).isEqualTo(BusinessError.INVALID_ARGUMENT);
        assertThat(error.getMessage()).contains("already bound").contains(String.valueOf(first.port()));
        assertThat(localAddress(socket)).isEqualTo(first);
    }

    @Test
    void failedBindsDoNotLeakChannels() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Assumptions.assumeTrue(os instanceof UnixOperatingSystemMXBean,
                "this JVM cannot count its open file descriptors, so a leak cannot be seen");
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) os;
        UDPSocket owner = boundSocket(ANY_V4);
        NetAddress taken = localAddress(owner);
        UDPSocket late = newSocket();
        // Warm up: the first failure loads classes and may open files that stay open (jars, /proc entries).
        failure(late.bind(taken));
        long before = unix.getOpenFileDescriptorCount();
        int attempts = 200;
        for (int i = 0; i < attempts; i++) {
            assertThat(failure(late.bind(taken)).getCode()).isEqualTo(BusinessError.ADDRESS_IN_USE);
        }
        // One leaked channel per attempt would show as 200 more descriptors; allow a little noise from other threads.
        assertThat(unix.getOpenFileDescriptorCount() - before).isLessThan(attempts / 4);
    }

}

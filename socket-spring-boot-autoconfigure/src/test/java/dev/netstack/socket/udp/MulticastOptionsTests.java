package dev.netstack.socket.udp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.netns.InNetworkNamespace;
import dev.netstack.socket.netns.NetworkNamespace;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.MulticastDefaults;
import dev.netstack.socket.nio.NioMulticastSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TTL, loopback mode, address reuse, the factory's multicast defaults and interface, the access policy on groups, and
 * what monitoring sees of memberships.
 */
@InNetworkNamespace
class MulticastOptionsTests extends MulticastTestSupport {

    @ParameterizedTest
    @EnumSource(Form.class)
    void ttlAndLoopbackModeStartAtTheSystemsDefaultsAndReadBackWhatWasSet(Form form) {
        Family.IPV4.assumeReady();
        MulticastSocket socket = newMulticastSocket();
        await(socket.bind(Family.IPV4.any()));
        assertThat(await(getMulticastTTL(socket, form))).isEqualTo(1);
        assertThat(await(getLoopbackMode(socket, form))).isTrue();

        await(setMulticastTTL(socket, 0, form));
        await(setLoopbackMode(socket, false, form));
        assertThat(await(getMulticastTTL(socket, form))).isZero();
        assertThat(await(getLoopbackMode(socket, form))).isFalse();
        Map<String, Object> options = await(((NioSocket) socket).effectiveOptions());
        assertThat(options).containsEntry("multicastTTL", 0).containsEntry("loopbackMode", false);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void ttlZeroStillReachesTheMembersOnThisHost(Family family) throws Exception {
        family.assumeReady();
        MulticastSocket member = member(family.groupA(0));
        Inbox inbox = Inbox.of(member);
        MulticastSocket sender = sender(family);
        await(sender.setMulticastTTL(0));
        send(sender, "host only", family.groupA(port(member)));
        assertThat(inbox.next().text()).isEqualTo("host only");
    }

    /**
     * Loopback mode off keeps a group's datagrams from the members on this host. Over IPv6 the datagram leaves through
     * mv0 to mv1, where no socket is a member; over {@code lo} (IPv4) it would come straight back in, so that family
     * cannot show it.
     */
    @Test
    void loopbackModeOffKeepsDatagramsFromTheMembersOnThisHost() throws Exception {
        Family.IPV6.assumeReady();
        MulticastSocket member = member(Family.IPV6.groupA(0));
        int port = port(member);
        Inbox inbox = Inbox.of(member);
        MulticastSocket sender = sender(Family.IPV6);
        await(sender.setLoopbackMode(false));
        send(sender, "not looped back", Family.IPV6.groupA(port));
        await(sender.setLoopbackMode(true));
        send(sender, "looped back", Family.IPV6.groupA(port));
        assertThat(inbox.next().text()).isEqualTo("looped back");
        assertThat(inbox.drain()).isEmpty();
    }

    @Test
    void withoutReuseAddressASecondMemberCannotTakeThePortAndReuseSetAfterBindIsIgnored() {
        Family.IPV4.assumeReady();
        MulticastSocket first = newMulticastSocket();
        await(first.addMembership(Family.IPV4.groupA(0)));
        first.setReuseAddress(true);
        MulticastSocket second = newMulticastSocket();
        second.setReuseAddress(true);

        BusinessError error = failure(second.addMembership(Family.IPV4.groupA(port(first))));
        assertThat(error.getCode()).isEqualTo(BusinessError.ADDRESS_IN_USE);
        assertThat(await(((NioSocket) first).effectiveOptions())).containsEntry("reuseAddress", false);
        assertThat(await(second.getState())).isEqualTo(new SocketStateBase(false, false, false));
    }

    @Test
    void theFactorysDefaultsSetTtlAndLoopbackModeOfEveryMulticastSocket() {
        Family.IPV4.assumeReady();
        startFactory(SocketSettings.builder().multicastDefaults(new MulticastDefaults(null, 0, false)));
        MulticastSocket socket = newMulticastSocket();
        await(socket.addMembership(Family.IPV4.groupA(0)));
        assertThat(await(socket.getMulticastTTL())).isZero();
        assertThat(await(socket.getLoopbackMode())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "lo", "127.0.0.1" })
    void theConfiguredInterfaceByNameOrAddressCarriesTheGroup(String networkInterface) throws Exception {
        Family.IPV4.assumeReady();
        startFactory(SocketSettings.builder().multicastDefaults(new MulticastDefaults(networkInterface, null, null)));
        MulticastSocket member = member(Family.IPV4.groupA(0));
        Inbox inbox = Inbox.of(member);
        send(sender(Family.IPV4), "through lo", Family.IPV4.groupA(port(member)));
        assertThat(inbox.next().text()).isEqualTo("through lo");
    }

    @Test
    void theConfiguredInterfaceCarriesIpv6Groups() throws Exception {
        Family.IPV6.assumeReady();
        startFactory(SocketSettings.builder()
            .multicastDefaults(new MulticastDefaults(NetworkNamespace.IPV6_INTERFACE, null, null)));
        MulticastSocket member = member(Family.IPV6.groupA(0));
        Inbox inbox = Inbox.of(member);
        send(sender(Family.IPV6), "through mv0", Family.IPV6.groupA(port(member)));
        assertThat(inbox.next().text()).isEqualTo("through mv0");
    }

    @Test
    void anInterfaceThatDoesNotExistFailsTheJoinWith2301099AndLeavesTheSocketUnbound() {
        Family.IPV4.assumeReady();
        startFactory(SocketSettings.builder().multicastDefaults(new MulticastDefaults("nosuch0", null, null)));
        MulticastSocket socket = newMulticastSocket();

        BusinessError error = failure(socket.addMembership(Family.IPV4.groupA(0)));
        assertThat(error.getCode()).isEqualTo(BusinessError.ADDRESS_NOT_AVAILABLE);
        assertThat(error.getMessage()).contains("'nosuch0'").contains("socket.multicast.interface");
        assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
    }

    @Test
    void theAccessPolicyAppliesToGroupDestinationsAndToTheSourcesOfTheirDatagrams() throws Exception {
        Family.IPV4.assumeReady();
        startFactory(SocketSettings.builder().accessPolicy(AccessPolicy.of(List.of("239.255.77.1"), List.of())));
        MulticastSocket member = member(Family.IPV4.groupA(0));
        int port = port(member);
        MulticastSocket sender = sender(Family.IPV4);

        BusinessError denied = failure(sender.send(new UDPSendOptions("x", Family.IPV4.groupB(port))));
        assertThat(denied.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
        assertThat(denied.getMessage()).contains("239.255.77.2");
        // Allowed as a destination; but its source, 127.0.0.1, is no allowed peer of the member: dropped, counted.
        await(sender.send(new UDPSendOptions("from a denied source", Family.IPV4.groupA(port))));
        Awaitility.await()
            .untilAsserted(() -> assertThat(this.factory.stats().of(Protocol.UDP).droppedMessages()).isEqualTo(1));
        assertThat(((NioSocket) member).bytesReceived()).isZero();
    }

    @Test
    void observersMetersAndTheSocketSeeEveryJoinAndLeaveAndCloseEndsTheMemberships() {
        Family.IPV4.assumeReady();
        List<String> seen = new CopyOnWriteArrayList<>();
        startFactory(SocketSettings.builder().observer(new SocketObserver() {
            @Override
            public void membershipChanged(NioSocket socket, NetAddress group, boolean joined) {
                seen.add((joined ? "joined " : "left ") + group.address() + ":" + group.port());
            }
        }));
        MulticastSocket socket = member(Family.IPV4.groupA(0));
        int port = port(socket);
        await(socket.addMembership(Family.IPV4.groupB(port)));
        NioMulticastSocket engine = (NioMulticastSocket) socket;
        assertThat(engine.groups()).containsExactly(Family.IPV4.groupA(port), Family.IPV4.groupB(port));
        assertThat(this.factory.stats().of(Protocol.UDP).memberships()).isEqualTo(2);

        await(socket.dropMembership(Family.IPV4.groupA(0)));
        assertThat(engine.groups()).containsExactly(Family.IPV4.groupB(port));
        assertThat(this.factory.stats().of(Protocol.UDP).memberships()).isEqualTo(1);
        await(socket.close());
        assertThat(engine.groups()).isEmpty();
        assertThat(this.factory.stats().of(Protocol.UDP).memberships()).isZero();
        assertThat(seen).containsExactly("joined 239.255.77.1:" + port, "joined 239.255.77.2:" + port,
                "left 239.255.77.1:" + port);
    }

}

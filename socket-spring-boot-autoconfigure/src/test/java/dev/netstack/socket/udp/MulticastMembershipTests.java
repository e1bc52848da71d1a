package dev.netstack.socket.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.netns.InNetworkNamespace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Joining and leaving groups, with our own sockets on both ends, IPv4 over {@code lo} and IPv6 over the namespace's
 * veth pair.
 */
@InNetworkNamespace
class MulticastMembershipTests extends MulticastTestSupport {

    static Stream<Arguments> familiesAndForms() {
        return Stream.of(Family.values())
            .flatMap(family -> Stream.of(Form.values()).map(form -> Arguments.of(family, form)));
    }

    @ParameterizedTest
    @MethodSource("familiesAndForms")
    void addMembershipBindsAnUnboundSocketToTheWildcardAndTheGroupsPortThenReceivesTheGroup(Family family, Form form)
            throws Exception {
        family.assumeReady();
        MulticastSocket receiver = newMulticastSocket();
        List<String> events = new CopyOnWriteArrayList<>();
        receiver.on(SocketEventType.LISTENING, nothing -> events.add("listening"));
        Inbox inbox = Inbox.of(receiver);
        MulticastSocket sender = sender(family);
        // The group's port 0 lets the kernel pick a free one, as a bind to port 0 does.
        await(addMembership(receiver, family.groupA(0), form));

        NetAddress local = localAddress(receiver);
        assertThat(events).containsExactly("listening");
        assertThat(local.address()).isEqualTo(family.wildcard);
        assertThat(local.family()).isEqualTo(family.number);
        assertThat(local.port()).isPositive();
        send(sender, "to the group", family.groupA(local.port()));
        SocketMessageInfo message = inbox.next();
        assertThat(message.text()).isEqualTo("to the group");
        assertThat(message.remoteInfo().port()).isEqualTo(port(sender));
        assertThat(message.remoteInfo().family()).isEqualTo(family == Family.IPV4 ? "IPv4" : "IPv6");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aBoundSocketJoinsAtOnceOnItsOwnPort(Family family) throws Exception {
        family.assumeReady();
        MulticastSocket receiver = newMulticastSocket();
        await(receiver.bind(family.any()));
        int port = port(receiver);
        Inbox inbox = Inbox.of(receiver);
        // The group's port does not matter once bound.
        await(receiver.addMembership(family.groupA(9)));

        send(sender(family), "bound first", family.groupA(port));
        assertThat(inbox.next().text()).isEqualTo("bound first");
        assertThat(localAddress(receiver).port()).isEqualTo(port);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void severalSocketsJoinedToOneGroupAndPortEachReceiveEveryDatagram(Family family) throws Exception {
        family.assumeReady();
        MulticastSocket first = member(family.groupA(0));
        int port = port(first);
        List<MulticastSocket> members = List.of(first, member(family.groupA(port)), member(family.groupA(port)));
        List<Inbox> inboxes = members.stream().map(Inbox::of).toList();
        MulticastSocket sender = sender(family);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("datagram " + i);
            send(sender, "datagram " + i, family.groupA(port));
        }
        for (Inbox inbox : inboxes) {
            assertThat(inbox.next(sent.size())).extracting(SocketMessageInfo::text)
                .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @ParameterizedTest
    @MethodSource("familiesAndForms")
    void oneSocketReceivesTwoGroupsAndLeavingOneStopsItsDatagramsAtOnceWhileTheSocketStaysBound(Family family,
            Form form) throws Exception {
        family.assumeReady();
        MulticastSocket receiver = member(family.groupA(0));
        int port = port(receiver);
        await(addMembership(receiver, family.groupB(port), form));
        Inbox inbox = Inbox.of(receiver);
        MulticastSocket sender = sender(family);
        send(sender, "a1", family.groupA(port));
        send(sender, "b1", family.groupB(port));
        assertThat(inbox.next(2)).extracting(SocketMessageInfo::text).containsExactlyInAnyOrder("a1", "b1");

        await(dropMembership(receiver, family.groupA(port), form));
        send(sender, "a2", family.groupA(port));
        send(sender, "b2", family.groupB(port));
        send(sender, "b3", family.groupB(port));
        assertThat(inbox.next(2)).extracting(SocketMessageInfo::text).containsExactly("b2", "b3");
        assertThat(inbox.drain()).isEmpty();

        // Deviation from the reference, which closes the socket: it stays bound, on its port, and may join again.
        assertThat(await(receiver.getState())).isEqualTo(new SocketStateBase(true, false, false));
        assertThat(localAddress(receiver).port()).isEqualTo(port);
        await(addMembership(receiver, family.groupA(port), form));
        send(sender, "a3", family.groupA(port));
        assertThat(inbox.next().text()).isEqualTo("a3");
    }

    /**
     * Which groups a socket receives when a neighbour on the same port joined another: for IPv4 only its own (the
     * JDK turns IP_MULTICAST_ALL off); for IPv6, Linux also delivers the neighbour's groups, as the JDK leaves
     * IPV6_MULTICAST_ALL on. The README says so; this test notices when that changes.
     */
    @ParameterizedTest
    @EnumSource(Family.class)
    void aSocketOnAPortSharedWithANeighbourReceivesItsOwnGroupsAndForIpv6AlsoTheNeighbours(Family family)
            throws Exception {
        family.assumeReady();
        MulticastSocket memberOfA = member(family.groupA(0));
        int port = port(memberOfA);
        MulticastSocket memberOfB = member(family.groupB(port));
        Inbox inboxOfA = Inbox.of(memberOfA);
        Inbox inboxOfB = Inbox.of(memberOfB);
        MulticastSocket sender = sender(family);

        send(sender, "to b", family.groupB(port));
        send(sender, "to a", family.groupA(port));
        assertThat(inboxOfB.next().text()).isEqualTo("to b");
        if (family == Family.IPV4) {
            // "to b" was sent first: had it reached the member of A, it would be its first message.
            assertThat(inboxOfA.next().text()).isEqualTo("to a");
            send(sender, "to b again", family.groupB(port));
            assertThat(inboxOfB.next().text()).as("the member of B got nothing of A").isEqualTo("to b again");
        }
        else {
            assertThat(inboxOfA.next(2)).extracting(SocketMessageInfo::text).containsExactly("to b", "to a");
            assertThat(inboxOfB.next().text()).isEqualTo("to a");
        }
        assertThat(inboxOfA.drain()).isEmpty();
    }

}

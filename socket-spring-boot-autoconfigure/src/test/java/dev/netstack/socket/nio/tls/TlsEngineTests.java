package dev.netstack.socket.nio.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.X509CertRawData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine wrapper driven in memory: two {@link TlsEngine}s talking through buffers, with reads split as a test
 * chooses. What the owner of a connection would observe: records to send, plaintext, the end of the handshake,
 * close_notify, and the codes of failures.
 */
@Timeout(30)
class TlsEngineTests {

    private static final TestPki pki = TestPki.get();

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void handshakeAndMessagesBothWays(TLSProtocol protocol) {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(protocol), MemoryPair.serverOptions(protocol)).handshake();

        assertThat(pair.clientEvents.handshakes).isEqualTo(1);
        assertThat(pair.serverEvents.handshakes).isEqualTo(1);
        TlsSessionInfo client = pair.client.sessionInfo();
        assertThat(client.protocol()).isEqualTo(protocol.protocolName());
        assertThat(client.peerCertificate()).isEqualTo(new X509CertRawData(pki.server.der(), 0));
        assertThat(pair.server.sessionInfo().cipherSuite()).isEqualTo(client.cipherSuite());
        assertThat(pair.server.sessionInfo().peerCertificate()).as("no client certificate was asked for").isNull();

        pair.clientSends("ping".getBytes(StandardCharsets.UTF_8));
        pair.pump(Integer.MAX_VALUE);
        pair.serverEvents.outbound.add(pair.server.wrap(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8))));
        pair.pump(Integer.MAX_VALUE);

        assertThat(pair.serverEvents.received.toString(StandardCharsets.UTF_8)).isEqualTo("ping");
        assertThat(pair.clientEvents.received.toString(StandardCharsets.UTF_8)).isEqualTo("pong");
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void clientCertificateWhenTheServerRequiresOne(TLSProtocol protocol) {
        TLSSecureOptions client = pki.client.options();
        client.setCa(pki.caList());
        client.setProtocols(List.of(protocol));
        TLSSecureOptions server = MemoryPair.serverOptions(protocol);
        server.setIsBidirectionalAuthentication(true);

        MemoryPair pair = MemoryPair.of(client, server).handshake();

        assertThat(pair.server.sessionInfo().peerCertificate()).isEqualTo(new X509CertRawData(pki.client.der(), 0));
        assertThat(pair.client.sessionInfo().peerSignatureAlgorithms()).as("the server's certificate request")
            .contains("SHA256withECDSA")
            .doesNotHaveDuplicates();
        assertThat(pair.server.sessionInfo().peerSignatureAlgorithms()).as("the client's hello")
            .contains("SHA256withECDSA", "RSASSA-PSS");
    }

    @Test
    void handshakeFinishesBeforeThePlaintextThatFollowsItInTheSameRead() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(TLSProtocol.TLSv13),
                MemoryPair.serverOptions(TLSProtocol.TLSv13));
        pair.client.beginHandshake();
        MemoryPair.deliver(pair.clientEvents, pair.server, Integer.MAX_VALUE);
        MemoryPair.deliver(pair.serverEvents, pair.client, Integer.MAX_VALUE);
        assertThat(pair.client.isHandshakeFinished()).as("a TLS 1.3 client is done after the server's flight").isTrue();
        // The client's Finished and its first message leave together, as a client that sends from 'connect' does.
        pair.clientSends("early".getBytes(StandardCharsets.UTF_8));

        MemoryPair.deliver(pair.clientEvents, pair.server, Integer.MAX_VALUE);

        assertThat(pair.serverEvents.milestones).containsExactly("handshake", "plaintext");
        assertThat(pair.serverEvents.received.toString(StandardCharsets.UTF_8)).isEqualTo("early");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 3, 5, 6, 17, 1000, 16_000, 40_000 })
    void readsSplitAnywhereGiveTheSameBytes(int slice) {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions());
        pair.client.beginHandshake();
        pair.pump(slice);
        assertThat(pair.server.isHandshakeFinished()).isTrue();
        byte[] message = new byte[100_000];
        new Random(slice).nextBytes(message);

        pair.clientSends(message, "tail".getBytes(StandardCharsets.UTF_8));
        pair.pump(slice);

        byte[] expected = ByteBuffer.allocate(message.length + 4).put(message)
            .put("tail".getBytes(StandardCharsets.UTF_8)).array();
        assertThat(pair.serverEvents.received.toByteArray()).isEqualTo(expected);
        assertThat(pair.server.bufferedBytes()).as("nothing left behind").isZero();
    }

    @Test
    void oneReadWithSeveralRecordsDeliversEachRecordAsItsOwnChunk() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions()).handshake();
        byte[] large = new byte[40_000];

        pair.clientSends("a".getBytes(StandardCharsets.UTF_8), "bb".getBytes(StandardCharsets.UTF_8), large,
                "ccc".getBytes(StandardCharsets.UTF_8));
        // One "read" holds every record.
        pair.pump(Integer.MAX_VALUE);

        List<Integer> sizes = pair.serverEvents.chunks.stream().map(chunk -> chunk.length).toList();
        assertThat(sizes).as("a message is at most one record of plaintext, and a record holds at most 16 KiB")
            .startsWith(1, 2)
            .endsWith(3)
            .hasSize(6)
            .allMatch(size -> size <= 16384);
        assertThat(sizes.subList(2, 5).stream().mapToInt(Integer::intValue).sum()).isEqualTo(large.length);
        assertThat(pair.server.bufferedBytes()).isZero();
    }

    @Test
    void wrappedRecordsOfALargeMessageFitTheirBuffer() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions()).handshake();

        ByteBuffer records = pair.client.wrap(ByteBuffer.wrap(new byte[1_000_000]));

        // 62 records of at most 16 KiB, each with a header, a content type and an authentication tag.
        assertThat(records.remaining()).isBetween(1_000_000 + 62 * 22, 1_000_000 + 62 * 64);
        assertThat(records.capacity() - records.remaining()).as("the estimate wasted little, and was not exceeded")
            .isBetween(0, 62 * 325);
        pair.clientEvents.outbound.add(records);
        pair.pump(Integer.MAX_VALUE);
        assertThat(pair.serverEvents.received.size()).isEqualTo(1_000_000);
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void closeNotifyReachesThePeer(TLSProtocol protocol) {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(protocol), MemoryPair.serverOptions(protocol)).handshake();
        pair.clientSends("last".getBytes(StandardCharsets.UTF_8));

        pair.client.close();
        pair.pump(Integer.MAX_VALUE);

        assertThat(pair.serverEvents.milestones).containsSubsequence("plaintext", "close_notify");
        assertThat(pair.server.isCloseNotifyReceived()).isTrue();
        assertThat(pair.client.isClosed()).isTrue();
        assertThatThrownBy(() -> pair.server.wrap(ByteBuffer.wrap(new byte[1]))).isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .as("under TLS 1.3 too, though the engine would half-close")
            .isEqualTo(BusinessError.TLS_PEER_CLOSED);
    }

    @Test
    void wrapBeforeTheHandshakeIsNoSession() {
        MemoryPair pair = MemoryPair.of(MemoryPair.trusting(), MemoryPair.serverOptions());

        assertThatThrownBy(() -> pair.client.wrap(ByteBuffer.wrap(new byte[1]))).isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_NO_SESSION);
        assertThatThrownBy(pair.client::sessionInfo).isInstanceOf(BusinessError.class)
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.TLS_NO_SESSION);
    }

    @Test
    void applicationProtocolIsTheServersFirstChoiceThatTheClientOffers() {
        TlsConfig client = TlsConfig.client(new TLSConnectOptions(new NetAddress("127.0.0.1", 4433),
                MemoryPair.trusting(), List.of("h2", "http/1.1")));
        TlsConfig server = TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0),
                MemoryPair.serverOptions(), List.of("http/1.1", "h2")));

        MemoryPair pair = new MemoryPair(client, server).handshake();

        assertThat(pair.client.sessionInfo().applicationProtocol()).isEqualTo("http/1.1");
        assertThat(pair.server.sessionInfo().applicationProtocol()).isEqualTo("http/1.1");
    }

    @Test
    void aTls12CipherListLeavesTls13SuitesAlone() {
        TLSSecureOptions client = MemoryPair.trusting();
        client.setCipherSuite("ECDHE-ECDSA-AES128-GCM-SHA256");

        MemoryPair tls13 = MemoryPair.of(client, MemoryPair.serverOptions()).handshake();
        client.setProtocols(List.of(TLSProtocol.TLSv12));
        MemoryPair tls12 = MemoryPair.of(client, MemoryPair.serverOptions()).handshake();

        assertThat(tls13.client.sessionInfo().cipherSuite()).startsWith("TLS_AES_");
        assertThat(tls12.client.sessionInfo().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void useRemoteCipherPreferDecidesWhoseOrderWins(boolean serverOrder) {
        TLSSecureOptions client = MemoryPair.trusting(TLSProtocol.TLSv12);
        client.setCipherSuite("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256");
        TLSSecureOptions server = MemoryPair.serverOptions(TLSProtocol.TLSv12);
        server.setCipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        server.setUseRemoteCipherPrefer(serverOrder);

        MemoryPair pair = MemoryPair.of(client, server).handshake();

        assertThat(pair.server.sessionInfo().cipherSuite()).isEqualTo(serverOrder
                ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "localhost", "::1", "[::1]" })
    void theServerNameIsCheckedAgainstDnsAndIpEntries(String host) {
        MemoryPair pair = new MemoryPair(TlsConfig.client(MemoryPair.clientTo(host, MemoryPair.trusting())),
                TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), MemoryPair.serverOptions())));

        pair.handshake();

        assertThat(pair.client.sessionInfo().peerCertificate()).isNotNull();
    }

    @Test
    void sharedScratchServesManyConnectionsAndAnIdleOneHoldsNoBuffer() {
        TlsConfig client = TlsConfig.client(MemoryPair.clientTo("127.0.0.1", MemoryPair.trusting()));
        TlsConfig server = TlsConfig.server(
                new TLSConnectOptions(new NetAddress("127.0.0.1", 0), MemoryPair.serverOptions()));
        for (int i = 0; i < 3; i++) {
            MemoryPair pair = new MemoryPair(client, server).handshake();
            pair.clientSends(("message " + i).getBytes(StandardCharsets.UTF_8));
            pair.pump(Integer.MAX_VALUE);
            assertThat(pair.serverEvents.received.toString(StandardCharsets.UTF_8)).isEqualTo("message " + i);
            assertThat(pair.server.bufferedBytes()).isZero();
            assertThat(pair.client.bufferedBytes()).isZero();
        }
    }

}

package dev.netstack.socket.nio;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the platform has no Unix domain sockets, every call of a local socket or server fails with 2301097, in both
 * forms, and nothing is made on disk. The factory's seam plays such a platform.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalSocketUnavailableTests {

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-unavailable-").build());

    @TempDir
    Path dir;

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    @Test
    void everyCallFailsWithAddressFamilyNotSupported() throws Exception {
        this.factory.localSocketsAvailable(false);
        LocalSocket socket = this.factory.constructLocalSocketInstance();
        LocalSocketServer server = this.factory.constructLocalSocketServerInstance();
        LocalAddress path = new LocalAddress(this.dir.resolve("none.sock").toString());
        List<CompletableFuture<?>> calls = List.of(socket.bind(path), socket.connect(new LocalConnectOptions(path)),
                socket.send(new LocalSendOptions("x")), socket.setExtraOptions(new ExtraOptions()),
                socket.getExtraOptions(), socket.getLocalAddress(), socket.getState(), socket.close(),
                Await.<Void>callback(done -> socket.bind(path, done)),
                Await.<Void>callback(done -> socket.connect(new LocalConnectOptions(path), done)),
                Await.<Void>callback(done -> socket.send(new LocalSendOptions("x"), done)),
                Await.<Void>callback(socket::close), server.listen(path), server.getLocalAddress(),
                server.getExtraOptions(), server.setExtraOptions(new ExtraOptions()), server.getState(), server.close(),
                Await.<Void>callback(done -> server.listen(path, done)), Await.<String>callback(server::getLocalAddress));
        for (CompletableFuture<?> call : calls) {
            BusinessError error = Await.failure(call);
            assertThat(error.getCode()).isEqualTo(BusinessError.ADDRESS_FAMILY_NOT_SUPPORTED);
            assertThat(error.getMessage()).contains("Unix domain sockets are not available");
        }
        assertThat(this.dir).isEmptyDirectory();
    }

    @Test
    void thisPlatformHasThemAndTheSeamGivesThemBack() throws Exception {
        this.factory.localSocketsAvailable(false);
        this.factory.localSocketsAvailable(true);
        LocalSocketServer server = this.factory.constructLocalSocketServerInstance();
        Await.result(server.listen(new LocalAddress(this.dir.resolve("back.sock").toString())));
        assertThat(LocalPaths.AVAILABLE).isTrue();
    }

}

package dev.netstack.socket.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.nio.NioLocalSocketServer;
import dev.netstack.socket.nio.NioServerSocket;
import dev.netstack.socket.nio.NioTLSSocketServer;
import dev.netstack.socket.nio.tls.TlsDefaults;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.unit.DataSize;

/**
 * The servers of {@code socket.servers.<name>}: made with the factory, named, listening from the context's start
 * until its stop. Each is also a bean of its name ({@link DeclaredServersRegistrar}).
 *
 * <p>A server that cannot listen stops the start with the key and the value that caused it, as a bad property does.
 */
public final class DeclaredServers implements SmartLifecycle {

    private final Map<String, DeclaredServerProperties> declarations;

    /** The servers by name: {@link TCPSocketServer}s, {@link TLSSocketServer}s and {@link LocalSocketServer}s. */
    private final Map<String, Object> servers = new LinkedHashMap<>();

    private final Duration timeout;

    private volatile boolean running;

    /**
     * Makes the declared servers, not yet listening.
     * @param factory the factory
     * @param declarations the servers by name
     * @param timeout how long a listen or close may take
     * @param defaultBundle {@code socket.tls.bundle}, the bundle of a tls server that names none, or {@code null}
     * @param bundles makes the secure options of a bundle: the key that names it, its name, client-auth needed
     * @throws InvalidConfigurationPropertyValueException naming the key of the first bad value
     */
    DeclaredServers(SocketFactory factory, Map<String, DeclaredServerProperties> declarations, Duration timeout,
            String defaultBundle, TlsBundles bundles) {
        this.declarations = declarations;
        this.timeout = timeout;
        declarations.forEach((name, declaration) -> {
            check(name, declaration);
            Framing framing = framing(name, declaration.getFraming());
            Object server = switch (declaration.getProtocol()) {
                case TCP -> factory.constructTCPSocketServerInstance();
                case TLS -> tlsServer(factory, name, declaration.getSsl(), defaultBundle, bundles);
                case LOCAL -> factory.constructLocalSocketServerInstance();
            };
            NioServerSocket<?> engine = (server instanceof NioLocalSocketServer local) ? local.socket()
                    : (server instanceof NioServerSocket<?> ip) ? ip : null;
            if (engine != null) {
                engine.name(name);
                engine.connectionFraming(framing);
            }
            this.servers.put(name, server);
        });
    }

    private static TLSSocketServer tlsServer(SocketFactory factory, String name, DeclaredServerProperties.Ssl ssl,
            String defaultBundle, TlsBundles bundles) {
        String key = (ssl.getBundle() != null) ? "socket.servers." + name + ".ssl.bundle" : "socket.tls.bundle";
        String bundle = (ssl.getBundle() != null) ? ssl.getBundle() : defaultBundle;
        if (bundle == null) {
            throw SocketSettingsMapper.invalid("socket.servers." + name + ".ssl.bundle", null,
                    "is required for protocol tls (or set socket.tls.bundle)");
        }
        TlsDefaults defaults = bundles.defaults(key, bundle,
                ssl.getClientAuth() == DeclaredServerProperties.ClientAuth.NEED);
        TLSSocketServer server = factory.constructTLSSocketServerInstance();
        if (!(server instanceof NioTLSSocketServer nio)) {
            throw new IllegalStateException("Server '" + name + "' is declared with protocol tls, which needs the "
                    + "starter's NioSocketFactory to take its SSL bundle; the SocketFactory bean is a "
                    + factory.getClass().getName());
        }
        nio.tlsDefaults(defaults);
        return server;
    }

    private static void check(String name, DeclaredServerProperties declaration) {
        String key = "socket.servers." + name;
        DeclaredServerProperties.Ssl ssl = declaration.getSsl();
        if (declaration.getProtocol() != DeclaredServerProperties.Protocol.TLS) {
            if (ssl.getBundle() != null) {
                throw SocketSettingsMapper.invalid(key + ".ssl.bundle", ssl.getBundle(), "applies to protocol tls only");
            }
            if (ssl.getClientAuth() != DeclaredServerProperties.ClientAuth.NONE) {
                throw SocketSettingsMapper.invalid(key + ".ssl.client-auth", ssl.getClientAuth(),
                        "applies to protocol tls only");
            }
        }
        if (declaration.getProtocol() == DeclaredServerProperties.Protocol.LOCAL) {
            if (declaration.getPath() == null || declaration.getPath().isBlank()) {
                throw SocketSettingsMapper.invalid(key + ".path", declaration.getPath(),
                        "is required for protocol local: the path of the socket file");
            }
            if (declaration.getPort() != null) {
                throw SocketSettingsMapper.invalid(key + ".port", declaration.getPort(),
                        "is not used by protocol local, which listens on its path: remove it");
            }
            return;
        }
        if (declaration.getPath() != null) {
            throw SocketSettingsMapper.invalid(key + ".path", declaration.getPath(),
                    "is used by protocol local only; a " + declaration.getProtocol().name().toLowerCase(Locale.ROOT)
                            + " server listens on its address and port");
        }
        if (declaration.getPort() == null) {
            throw SocketSettingsMapper.invalid(key + ".port", null, "is required (0 picks a free port)");
        }
        if (declaration.getPort() < 0 || declaration.getPort() > 65535) {
            throw SocketSettingsMapper.invalid(key + ".port", declaration.getPort(), "must be between 0 and 65535");
        }
        if (declaration.getAddress() == null || declaration.getAddress().isBlank()) {
            throw SocketSettingsMapper.invalid(key + ".address", declaration.getAddress(),
                    "must be an IP literal, localhost or a wildcard");
        }
    }

    /**
     * Makes the framing of a declared server's connections, failing with the key of a bad value.
     * @return the framing, or {@code null} for one message per read
     */
    private static Framing framing(String name, DeclaredServerProperties.Framing declared) {
        String key = "socket.servers." + name + ".framing.";
        int maxLength = maxLength(key + "max-length", declared.getMaxLength());
        try {
            return switch (declared.getType()) {
                case NONE -> null;
                case LINES -> Framing.lines(maxLength);
                case DELIMITER -> {
                    if (declared.getDelimiter() == null || declared.getDelimiter().isEmpty()) {
                        throw SocketSettingsMapper.invalid(key + "delimiter", declared.getDelimiter(),
                                "is required for the delimiter type");
                    }
                    yield Framing.delimiter(declared.getDelimiter().getBytes(StandardCharsets.UTF_8), maxLength);
                }
                case LENGTH_FIELD -> Framing.lengthField(declared.getFieldBytes(), maxLength);
                case FIXED -> Framing.fixed(maxLength(key + "size", declared.getSize()));
            };
        }
        catch (BusinessError ex) {
            // The only parameter a framing can still refuse here is the field size.
            throw SocketSettingsMapper.invalid(key + "field-bytes", declared.getFieldBytes(), ex.getMessage());
        }
    }

    private static int maxLength(String key, DataSize size) {
        if (size == null || size.toBytes() < 1 || size.toBytes() > Integer.MAX_VALUE - 8) {
            throw SocketSettingsMapper.invalid(key, size, "must be between 1 byte and 2GB");
        }
        return (int) size.toBytes();
    }

    /**
     * Returns a declared server: the factory method of the bean of its name.
     * @param name its name
     * @return the server
     */
    public TCPSocketServer server(String name) {
        return (TCPSocketServer) this.servers.get(name);
    }

    /**
     * Returns a declared TLS server: the factory method of the bean of its name.
     * @param name its name
     * @return the server
     */
    public TLSSocketServer tlsServer(String name) {
        return (TLSSocketServer) this.servers.get(name);
    }

    /**
     * Returns a declared local server: the factory method of the bean of its name.
     * @param name its name
     * @return the server
     */
    public LocalSocketServer localServer(String name) {
        return (LocalSocketServer) this.servers.get(name);
    }

    /**
     * Returns the names of the declared servers.
     * @return the names in declaration order
     */
    List<String> names() {
        return List.copyOf(this.servers.keySet());
    }

    @Override
    public void start() {
        this.servers.forEach(this::listen);
        this.running = true;
    }

    private void listen(String name, Object server) {
        DeclaredServerProperties declaration = this.declarations.get(name);
        String address = declaration.getAddress();
        try {
            CompletableFuture<Void> listening;
            if (server instanceof LocalSocketServer local) {
                listening = local.listen(new LocalAddress(declaration.getPath()));
            }
            else {
                int family = (address.indexOf(':') >= 0) ? NetAddress.IPV6 : NetAddress.IPV4;
                NetAddress at = new NetAddress(address, declaration.getPort(), family);
                // A TLS server without secure options takes those of its bundle (set when it was made).
                listening = (server instanceof TLSSocketServer tls) ? tls.listen(new TLSConnectOptions(at, null))
                        : ((TCPSocketServer) server).listen(at);
            }
            listening.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | CompletionException ex) {
            BusinessError error = (ex.getCause() instanceof BusinessError business) ? business : null;
            String reason = (error != null) ? error.getMessage() + " (" + error.getCode() + ")" : String.valueOf(ex);
            String key = "socket.servers." + name + ((server instanceof LocalSocketServer) ? ".path"
                    : (error != null && error.getCode() == BusinessError.PARAMETER_ERROR) ? ".address" : ".port");
            Object value = key.endsWith(".path") ? declaration.getPath()
                    : key.endsWith(".address") ? address : declaration.getPort();
            throw new InvalidConfigurationPropertyValueException(key, value, "cannot listen: " + reason);
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("Server '" + name + "' did not listen within " + this.timeout, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while server '" + name + "' started to listen", ex);
        }
    }

    @Override
    public void stop() {
        this.running = false;
        for (Object server : this.servers.values()) {
            // Stops accepting; the connections close with the factory, flushing what they accepted.
            CompletableFuture<Void> closing = (server instanceof LocalSocketServer local) ? local.close()
                    : (server instanceof TLSSocketServer tls) ? tls.close() : ((TCPSocketServer) server).close();
            closing.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally((error) -> null).join();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Starts after the factory and the event publisher, and stops before them, so that its listening and close
     * events are published.
     * @return the phase
     */
    @Override
    public int getPhase() {
        return SocketEventPublisher.PHASE + 2;
    }

    /**
     * Not paused by {@code context.stop()}: a closed server cannot listen again.
     * @return {@code false}
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /**
     * Makes the secure options of an SSL bundle for a declared TLS server.
     */
    @FunctionalInterface
    interface TlsBundles {

        /**
         * Looks a bundle up.
         * @param key the property that names it, for the failure message
         * @param bundle its name
         * @param requireClientCertificate whether the server requires client certificates
         * @return the secure options
         * @throws InvalidConfigurationPropertyValueException naming the key when there is no such bundle
         */
        TlsDefaults defaults(String key, String bundle, boolean requireClientCertificate);

    }

}

package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;

/**
 * A {@link UDPSocket} on a non-blocking {@link DatagramChannel}, served by one event loop.
 *
 * <p>Sends go straight to the kernel when nothing is queued; a datagram the kernel refuses for lack of buffer space
 * stays queued, in order, and OP_WRITE is set until the queue drains. Reads take up to
 * {@value DatagramReadPacing#BATCH} datagrams per wake-up (one while they come one at a time:
 * {@link DatagramReadPacing}) into the loop's shared buffer and hand each callback a copy sized to the datagram.
 */
class NioUDPSocket extends NioSocket implements UDPSocket, ChannelHandler {

    private static final System.Logger logger = Loggers.of(NioUDPSocket.class);

    /** The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
    static final int MAX_IPV4_PAYLOAD = 65507;

    /** The largest UDP payload over IPv6 without jumbograms: 65535 - 8 (UDP header). */
    static final int MAX_IPV6_PAYLOAD = 65527;

    /** The factory's access policy, for destinations and the sources of received datagrams. */
    private final AccessPolicy policy;

    // Loop only.
    private DatagramChannel channel;

    private SelectionKey key;

    private int family;

    private long sendTimeoutNanos;

    private ArrayDeque<PendingSend> queue;

    private LoopTimer sendTimer;

    private boolean closing;

    private final DatagramReadPacing pacing = new DatagramReadPacing();

    // The JDK hands back the same InetSocketAddress while the sender stays the same: format its text once.
    private InetSocketAddress lastSender;

    /** The remote info of the last datagram delivered, from {@link #lastSender}. */
    private SocketRemoteInfo lastRemoteInfo;

    // The policy's answer for the last source checked, for the same reason.
    private InetSocketAddress lastChecked;

    private boolean lastPermitted;

    /** The last destination allowed by the policy: the next send to the same one skips the check. Loop only. */
    private InetSocketAddress lastPermittedTarget;

    /**
     * The last literal destination and its parsed form. Written by whichever thread calls send(): one immutable
     * pair behind a volatile reference, so a reader sees either the old pair or the new one, each consistent.
     */
    private volatile Destination lastDestination;

    /** Written on the loop, read by monitoring. */
    private volatile long queuedBytes;

    NioUDPSocket(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.UDP);
        this.policy = factory.settings().accessPolicy();
    }

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    @Override
    public long pendingBytes() {
        return this.queuedBytes;
    }

    @Override
    long sendQueueLimit() {
        return this.factory.settings().udpSendQueueLimit();
    }

    @Override
    public long kernelDrops() {
        NetAddress local = localAddress();
        return (local != null) ? UdpKernelDrops.ofPort(local.port(), local.family() == NetAddress.IPV6) : -1;
    }

    @Override
    public CompletableFuture<Void> bind(NetAddress address) {
        return Callbacks.future(callback -> bind(address, callback));
    }

    @Override
    public void bind(NetAddress address, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        bindThen(address, callback, local -> bindOnLoop(local, address.family(), callback));
    }

    private void bindOnLoop(InetSocketAddress local, int family, AsyncCallback<Void> callback) {
        if (isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        if (hasState(BOUND)) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT,
                    "socket is already bound to " + Addresses.describe(localAddress())));
            return;
        }
        BusinessError failed = openChannel(local, family);
        if (failed != null) {
            fail(callback, failed);
            return;
        }
        succeed(callback, null);
    }

    /**
     * Loop only: opens the channel, applies the options, binds it, starts reading and emits 'listening'.
     * @param local the address to bind to
     * @param family the family of the channel
     * @return {@code null} when bound, else the failure (nothing is left open)
     */
    BusinessError openChannel(InetSocketAddress local, int family) {
        UDPExtraOptions defaults = this.factory.settings().udpDefaults();
        DatagramChannel opened = null;
        try {
            opened = DatagramChannel.open(family == NetAddress.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            opened.configureBlocking(false);
            // Before bind, so that reuse-address and buffer sizes take effect where they must.
            ExtraOptionsSupport.apply(opened, defaults);
            configure(opened);
            opened.bind(local);
            this.key = this.loop.register(opened, SelectionKey.OP_READ, this);
        }
        catch (IOException | RuntimeException ex) {
            Channels.closeQuietly(opened);
            return Errors.io("bind to " + Addresses.describe(local), ex);
        }
        this.channel = opened;
        this.family = family;
        this.sendTimeoutNanos = timeoutNanos(defaults.getSocketTimeout());
        InetSocketAddress boundTo = Channels.localSocketAddress(opened, local);
        bound(boundTo);
        logger.log(Level.INFO, () -> this + " bound to " + Addresses.describe(boundTo));
        emit(SocketEventType.LISTENING, null);
        return null;
    }

    /**
     * Loop only: a hook for socket kinds with options of their own, applied after the defaults and before bind.
     * @param opened the new channel, not yet bound
     * @throws IOException when the kernel refuses an option
     */
    void configure(DatagramChannel opened) throws IOException {
    }

    /**
     * Loop only.
     * @return the channel, or {@code null} before bind
     */
    DatagramChannel channel() {
        return this.channel;
    }

    @Override
    public CompletableFuture<Void> send(UDPSendOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        send(options, Callbacks.completing(result));
        return result;
    }

    @Override
    public void send(UDPSendOptions options, AsyncCallback<Void> callback) {
        if (refuseCall(callback, options)) {
            return;
        }
        ByteBuffer data;
        try {
            data = Payloads.toBuffer(options.data(), StandardCharsets.UTF_8);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        NetAddress address = options.address();
        Destination last = this.lastDestination;
        InetSocketAddress target;
        if (last != null && last.address().equals(address)) {
            // The same literal as the last send: it parses to the same address, so reuse it (the JDK then also
            // reuses its encoded form of it).
            target = last.target();
        }
        else {
            try {
                target = Addresses.parse(address, true);
            }
            catch (BusinessError ex) {
                fail(callback, ex);
                return;
            }
            if (target != null) {
                this.lastDestination = new Destination(address, target);
            }
        }
        // Charged before a host name is resolved: a send waiting for its look-up holds its bytes too.
        PendingSend send = PendingSend.accept(this, data, target, callback);
        if (send == null) {
            return;
        }
        if (target != null) {
            onLoop(send, send);
        }
        else {
            // A host name: resolved off the loop on every send, as its addresses may change.
            resolveThen(address, send, resolved -> sendOnLoop(send.resolvedTo(resolved)));
        }
    }

    @Override
    void sendOnLoop(PendingSend send) {
        InetSocketAddress target = send.target();
        // The send is its own callback: its outcome gives back what it was charged.
        AsyncCallback<Void> callback = send;
        if (isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        // The policy first, as the reference checks permission first: a denied destination is 201 even unbound.
        if (target != this.lastPermittedTarget) {
            // The policy is fixed for the factory's life: a destination it allowed once stays allowed.
            BusinessError denied = this.policy.checkDestination(target);
            if (denied != null) {
                fail(callback, denied);
                return;
            }
            this.lastPermittedTarget = target;
        }
        if (!hasState(BOUND)) {
            fail(callback, new BusinessError(BusinessError.NOT_BOUND, "socket is not bound: call bind() before send()"));
            return;
        }
        boolean v6Target = target.getAddress() instanceof Inet6Address;
        if (v6Target && this.family == NetAddress.IPV4) {
            fail(callback, Errors.parameter("destination " + Addresses.describe(target)
                    + " is an IPv6 address but the socket is bound to IPv4 (family 1)"));
            return;
        }
        int size = send.size();
        int max = v6Target ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD;
        if (size > max) {
            fail(callback, new BusinessError(BusinessError.MESSAGE_TOO_LONG, "datagram of " + size
                    + " bytes is larger than " + max + " bytes, the most one " + (v6Target ? "IPv6" : "IPv4")
                    + " datagram carries"));
            return;
        }
        if (this.queue != null && !this.queue.isEmpty()) {
            // Keep call order: nothing overtakes a datagram that waits for buffer space.
            enqueue(send);
            return;
        }
        try {
            if (!write(send)) {
                enqueue(send);
            }
        }
        catch (IOException ex) {
            fail(callback, Errors.io("send to " + Addresses.describe(target), ex));
        }
    }

    /**
     * Hands one datagram to the kernel.
     * @return {@code false} when the kernel has no buffer space for it now
     */
    private boolean write(PendingSend send) throws IOException {
        int written = this.channel.send(send.data(), send.target());
        // For an empty datagram the JDK returns 0 both when it was sent and when there was no room; the kernel
        // practically always has room for a header alone, so 0 counts as sent.
        if (written == 0 && send.size() > 0) {
            return false;
        }
        countSent(send.size());
        countSendCompleted();
        succeed(send, null);
        return true;
    }

    private void enqueue(PendingSend send) {
        // The send queue limit was kept when send() accepted it: what is here fits.
        if (this.queue == null) {
            this.queue = new ArrayDeque<>();
        }
        this.queue.add(send);
        this.queuedBytes += send.size();
        stats().pending(send.size());
        if (this.sendTimer == null) {
            this.key.interestOps(interest(true));
            armSendTimer();
        }
    }

    private void flush() {
        boolean progress = false;
        PendingSend head;
        while ((head = this.queue.peek()) != null) {
            try {
                if (!write(head)) {
                    break;
                }
            }
            catch (IOException ex) {
                fail(head, Errors.io("send to " + Addresses.describe(head.target()), ex));
            }
            dequeued(this.queue.poll());
            progress = true;
        }
        if (this.queue.isEmpty()) {
            queueDrained();
        }
        else if (progress) {
            // The timeout bounds a wait without progress, not the life of a long queue.
            this.loop.cancel(this.sendTimer);
            armSendTimer();
        }
    }

    private void armSendTimer() {
        this.sendTimer = this.loop.schedule(this.sendTimeoutNanos, TimeUnit.NANOSECONDS, this::sendTimedOut);
    }

    private void sendTimedOut() {
        this.sendTimer = null;
        long millis = TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos);
        failQueued(() -> new BusinessError(BusinessError.TIMED_OUT,
                "the kernel took no datagram of this socket within socketTimeout " + millis + " ms"));
        queueDrained();
    }

    private void queueDrained() {
        this.loop.cancel(this.sendTimer);
        this.sendTimer = null;
        if (this.key != null && this.key.isValid()) {
            this.key.interestOps(interest(false));
        }
        if (this.closing) {
            finishClose();
        }
    }

    private void dequeued(PendingSend send) {
        this.queuedBytes -= send.size();
        stats().pending(-send.size());
    }

    private void failQueued(Supplier<BusinessError> error) {
        PendingSend send;
        while (this.queue != null && (send = this.queue.poll()) != null) {
            dequeued(send);
            fail(send, error.get());
        }
    }

    @Override
    public void handleReady(SelectionKey key, int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && this.queue != null) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !isCloseRequested()) {
            try {
                read();
            }
            finally {
                this.factory.dispatcher().batchEnded(this);
            }
        }
    }

    /**
     * The interest set: reads until close() is called (no datagram is delivered after it), writes while datagrams
     * wait for buffer space.
     */
    private int interest(boolean write) {
        return (isCloseRequested() ? 0 : SelectionKey.OP_READ) | (write ? SelectionKey.OP_WRITE : 0);
    }

    private void read() {
        DatagramChannel from = this.channel;
        ByteBuffer buffer = this.loop.readBuffer();
        // The policy is fixed for the factory's life: asked once per wake-up whether it checks sources at all.
        boolean everySource = this.policy.allowsAll();
        int limit = this.pacing.limit();
        for (int i = 0; i < limit; i++) {
            InetSocketAddress sender;
            try {
                sender = (InetSocketAddress) from.receive(buffer.clear());
            }
            catch (IOException ex) {
                emit(SocketEventType.ERROR, Errors.io("receive", ex));
                return;
            }
            if (sender == null) {
                this.pacing.ended(i, true);
                return;
            }
            if (!everySource && !permitted(sender)) {
                // Read and dropped, so that it does not wait in the kernel's buffer; counted, never delivered.
                stats().dropped();
                continue;
            }
            int size = buffer.position();
            byte[] bytes = new byte[size];
            buffer.get(0, bytes);
            countReceived(size);
            emit(SocketEventType.MESSAGE, new SocketMessageInfo(bytes, remoteInfo(sender, size)));
            if (isCloseRequested()) {
                // A callback called close(): deliver nothing more, though the close itself runs a little later.
                return;
            }
        }
        this.pacing.ended(limit, false);
    }

    private boolean permitted(InetSocketAddress sender) {
        if (sender != this.lastChecked) {
            this.lastChecked = sender;
            this.lastPermitted = this.policy.permits(sender);
        }
        return this.lastPermitted;
    }

    private SocketRemoteInfo remoteInfo(InetSocketAddress sender, int size) {
        SocketRemoteInfo last = this.lastRemoteInfo;
        SocketRemoteInfo info;
        if (sender != this.lastSender) {
            this.lastSender = sender;
            info = Addresses.remoteInfo(sender, size);
        }
        else if (last.size() == size) {
            // Immutable, so one instance serves every datagram of the same sender and size.
            return last;
        }
        else {
            // The same sender: its address text is formatted once, not per datagram.
            info = new SocketRemoteInfo(last.address(), last.family(), last.port(), size);
        }
        this.lastRemoteInfo = info;
        return info;
    }

    @Override
    public CompletableFuture<Void> setExtraOptions(UDPExtraOptions options) {
        return Callbacks.future(callback -> setExtraOptions(options, callback));
    }

    @Override
    public void setExtraOptions(UDPExtraOptions options, AsyncCallback<Void> callback) {
        setExtraOptions(options, new UDPExtraOptions()::merge, this::applyOnLoop, callback);
    }

    private void applyOnLoop(UDPExtraOptions options, AsyncCallback<Void> callback) {
        if (isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        if (!hasState(BOUND)) {
            fail(callback, new BusinessError(BusinessError.NOT_BOUND,
                    "socket is not bound: call bind() before setExtraOptions()"));
            return;
        }
        try {
            ExtraOptionsSupport.apply(this.channel, options);
        }
        catch (IOException | RuntimeException ex) {
            fail(callback, Errors.io("setExtraOptions " + options, ex));
            return;
        }
        if (options.getSocketTimeout() != null) {
            this.sendTimeoutNanos = timeoutNanos(options.getSocketTimeout());
        }
        succeed(callback, null);
    }

    @Override
    Map<String, Object> readOptions() {
        if (this.channel == null || !this.channel.isOpen()) {
            return Map.of();
        }
        Map<String, Object> options = ExtraOptionsSupport.readBack(this.channel);
        options.put("socketTimeout", TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos));
        return options;
    }

    @Override
    void beginClose() {
        if (this.queue == null || this.queue.isEmpty()) {
            finishClose();
        }
        else {
            // Accepted datagrams still go out; flush() or the send timer calls finishClose() when the queue is done.
            // Reading stops now: an unread datagram would otherwise keep the selector awake until then.
            this.closing = true;
            this.key.interestOps(interest(true));
        }
    }

    @Override
    void closeChannel() {
        this.loop.cancel(this.sendTimer);
        this.sendTimer = null;
        failQueued(Errors::closed);
        if (this.key != null) {
            this.key.cancel();
        }
        Channels.closeQuietly(this.channel);
    }

    @Override
    public void loopStopped() {
        finishClose();
    }

    @Override
    public void keyChanged(SelectionKey key) {
        this.key = key;
    }

    /**
     * A destination as given to send() and as parsed.
     * @param address the caller's address, a literal
     * @param target its parsed form
     */
    private record Destination(NetAddress address, InetSocketAddress target) {
    }

    private long timeoutNanos(Integer socketTimeoutMillis) {
        return (socketTimeoutMillis != null && socketTimeoutMillis > 0)
                ? TimeUnit.MILLISECONDS.toNanos(socketTimeoutMillis)
                : this.factory.settings().sendTimeout().toNanos();
    }

    @Override
    boolean emits(SocketEventType<?> type) {
        return type.isUdp();
    }

}

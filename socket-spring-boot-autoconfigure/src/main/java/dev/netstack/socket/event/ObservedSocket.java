package dev.netstack.socket.event;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.Protocol;

/**
 * What the publisher knows of one socket, shared by the socket's queued events: its identity, and the socket itself
 * only weakly. An open socket is held by its factory, so the reference holds while the socket is open; once it has
 * closed, queued events no longer keep it reachable, and an event published after it was collected still names it
 * by id and protocol.
 */
final class ObservedSocket extends WeakReference<NioSocket> {

    private static final AtomicIntegerFieldUpdater<ObservedSocket> SUSPENDED = AtomicIntegerFieldUpdater
        .newUpdater(ObservedSocket.class, "suspended");

    private final long id;

    private final Protocol protocol;

    /** The declared server's name, kept here: events of a collected connection still tell their server. */
    private final String serverName;

    /** The addresses the socket had at 'listening' or 'connect', for its close event. Its loop only. */
    NetAddress local;

    NetAddress remote;

    /** 1 while the publisher holds the socket's reading suspended. */
    private volatile int suspended;

    ObservedSocket(NioSocket socket) {
        super(socket);
        this.id = socket.id();
        this.protocol = socket.protocol();
        this.serverName = socket.name();
    }

    long id() {
        return this.id;
    }

    Protocol protocol() {
        return this.protocol;
    }

    String serverName() {
        return this.serverName;
    }

    /** Marks the socket suspended; returns {@code false} when it already was. */
    boolean markSuspended() {
        return SUSPENDED.compareAndSet(this, 0, 1);
    }

    /** Clears the mark; returns {@code false} when another thread cleared it first. */
    boolean clearSuspended() {
        return SUSPENDED.compareAndSet(this, 1, 0);
    }

    /**
     * Names the socket as {@link NioSocket#toString()} does, without the socket.
     * @return e.g. "TCP socket #7"
     */
    String describe() {
        return this.protocol.name() + " socket #" + this.id;
    }

}

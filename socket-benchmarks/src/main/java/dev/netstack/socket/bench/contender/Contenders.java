package dev.netstack.socket.bench.contender;

import java.util.List;

/**
 * The contenders by id.
 */
public final class Contenders {

    /** This project's engine. */
    public static final String ENGINE = "engine";

    /** Netty, NIO transport: the reference the targets are set against. */
    public static final String NETTY_NIO = "netty-nio";

    /** Netty, native epoll transport, where it loads. */
    public static final String NETTY_EPOLL = "netty-epoll";

    /** Plain NIO, blocking threads. */
    public static final String PLAIN = "plain";

    /** Plain NIO, one hand-written selector loop. */
    public static final String SELECTOR = "selector";

    /** Every id, in table order. */
    public static final List<String> ALL = List.of(ENGINE, NETTY_NIO, NETTY_EPOLL, PLAIN, SELECTOR);

    private Contenders() {
    }

    /**
     * Starts a contender.
     * @param id one of {@link #ALL}
     * @return the contender; close it when done
     * @throws IllegalArgumentException for an unknown id
     * @throws UnsupportedOperationException when it cannot run here (epoll missing)
     */
    public static Contender start(String id) {
        return switch (id) {
            case ENGINE -> new EngineContender(ENGINE, null);
            case NETTY_NIO -> NettyContender.nio();
            case NETTY_EPOLL -> NettyContender.epoll();
            case PLAIN -> new PlainContender();
            case SELECTOR -> new SelectorContender();
            default -> throw new IllegalArgumentException("unknown contender '" + id + "'; one of " + ALL);
        };
    }

}

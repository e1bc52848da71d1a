package dev.netstack.socket;

/**
 * The seed's {@code socketLinger}: what {@code close()} does with unsent data (SO_LINGER).
 *
 * @param on whether lingering is enabled
 * @param linger how long to linger, in milliseconds, 0 to 65535; rounded up to whole seconds for the kernel,
 * and 0 resets the connection on close
 */
public record SocketLinger(boolean on, int linger) {

}

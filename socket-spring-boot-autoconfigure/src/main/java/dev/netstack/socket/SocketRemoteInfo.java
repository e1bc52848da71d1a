package dev.netstack.socket;

/**
 * Where a message came from: the seed's {@code SocketRemoteInfo}.
 *
 * @param address the sender's IP address as a literal
 * @param family {@code "IPv4"} or {@code "IPv6"}
 * @param port the sender's port
 * @param size the number of bytes in the message
 */
public record SocketRemoteInfo(String address, String family, int port, int size) {

}

package dev.netstack.socket;

/**
 * The address of a local (Unix domain) socket: a file system path, the reference's {@code LocalAddress} (API 11).
 *
 * <p>Like the other value types it does not validate: the operation does. A path must not be empty and must fit
 * the platform's limit (106 bytes on Linux), else the operation fails with 401.
 *
 * @param address the path of the socket file, absolute or relative to the working directory
 */
public record LocalAddress(String address) {
}

package dev.netstack.socket;

/**
 * What to send and where: the seed's {@code UDPSendOptions}.
 *
 * <p>{@code data} is a {@link String} (sent as UTF-8), a {@code byte[]} or a {@link java.nio.ByteBuffer} (its
 * remaining bytes; its position is not moved). Arrays and buffers are not copied: leave them unchanged until the send
 * completes. Any other type, or {@code null}, fails the send with 401.
 *
 * @param data the payload
 * @param address the destination
 */
public record UDPSendOptions(Object data, NetAddress address) {

    /**
     * Describes the options with the type and size of the data, never the data: options end up in logs.
     * @return e.g. {@code UDPSendOptions[data=byte[5], address=NetAddress[...]]}
     */
    @Override
    public String toString() {
        return "UDPSendOptions[data=" + TCPSendOptions.describe(this.data) + ", address=" + this.address + "]";
    }

}

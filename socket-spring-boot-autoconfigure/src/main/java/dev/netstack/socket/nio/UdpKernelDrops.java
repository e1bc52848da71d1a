package dev.netstack.socket.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.netstack.socket.NetAddress;

/**
 * Datagrams that the kernel dropped because a socket's receive buffer was full: the engine never buffers datagrams
 * itself, so when the listeners fall behind, the kernel drops what does not fit, and only the kernel can count it.
 *
 * <p>Linux reports the count per socket in the {@code drops} column of {@code /proc/net/udp} (IPv4 sockets) and
 * {@code /proc/net/udp6} (IPv6 sockets). The tables are read on demand, never on the event loop's hot path; a socket
 * is found by its local port in the table of its family, so sockets that share a port (reuse-address) share the
 * figure. Elsewhere, or when the table cannot be read, the count is {@code -1}.
 */
public final class UdpKernelDrops {

    private static final Path UDP = Path.of("/proc/net/udp");

    private static final Path UDP6 = Path.of("/proc/net/udp6");

    /** Columns of a row: sl, local_address, rem_address, st, tx:rx queue, tr:when, retrnsmt, uid, timeout, inode, ref, pointer, drops. */
    private static final int LOCAL_ADDRESS = 1;

    private static final int DROPS = 12;

    private UdpKernelDrops() {
    }

    /**
     * Tells whether this platform reports kernel drops.
     * @return {@code true} where {@code /proc/net/udp} is readable
     */
    public static boolean isAvailable() {
        return Files.isReadable(UDP);
    }

    /**
     * Returns the kernel's drop count for a local port.
     * @param port the local port
     * @param ipv6 whether the socket is an IPv6 socket
     * @return the datagrams dropped, or {@code -1} where the platform does not tell or no socket has that port
     */
    public static long ofPort(int port, boolean ipv6) {
        Map<Integer, Long> table = read(ipv6 ? UDP6 : UDP);
        if (table == null) {
            return -1;
        }
        return table.getOrDefault(port, -1L);
    }

    /**
     * Returns the drops of every open UDP socket among the given ones, reading each table once.
     * @param sockets the sockets, e.g. {@link NioSocketFactory#sockets()}
     * @return the sum, or {@code -1} where the platform does not tell
     */
    public static long total(Collection<? extends NioSocket> sockets) {
        Map<Integer, Long> v4 = null;
        Map<Integer, Long> v6 = null;
        long total = 0;
        for (NioSocket socket : sockets) {
            NetAddress local = socket.localAddress();
            if (socket.protocol() != Protocol.UDP || local == null) {
                continue;
            }
            Map<Integer, Long> table;
            if (local.family() == NetAddress.IPV6) {
                table = (v6 != null) ? v6 : (v6 = read(UDP6));
            }
            else {
                table = (v4 != null) ? v4 : (v4 = read(UDP));
            }
            if (table == null) {
                return -1;
            }
            total += table.getOrDefault(local.port(), 0L);
        }
        return isAvailable() ? total : -1;
    }

    /**
     * Reads one table.
     * @return the drops per local port, or {@code null} when the table cannot be read
     */
    private static Map<Integer, Long> read(Path table) {
        List<String> rows;
        try {
            rows = Files.readAllLines(table, StandardCharsets.US_ASCII);
        }
        catch (IOException | UncheckedIOException | SecurityException ex) {
            return null;
        }
        Map<Integer, Long> drops = new HashMap<>();
        // The first row names the columns.
        for (int i = 1; i < rows.size(); i++) {
            String[] columns = rows.get(i).trim().split("\\s+");
            if (columns.length <= DROPS) {
                continue;
            }
            String local = columns[LOCAL_ADDRESS];
            int colon = local.lastIndexOf(':');
            try {
                int port = Integer.parseInt(local.substring(colon + 1), 16);
                drops.merge(port, Long.parseLong(columns[DROPS]), Long::sum);
            }
            catch (NumberFormatException | IndexOutOfBoundsException ex) {
                // A row of a layout this parser does not know: skip it rather than report a wrong figure.
            }
        }
        return drops;
    }

}

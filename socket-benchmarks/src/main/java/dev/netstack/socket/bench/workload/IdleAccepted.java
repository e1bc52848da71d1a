package dev.netstack.socket.bench.workload;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.ServerRole;
import dev.netstack.socket.bench.contender.TcpServer;

/**
 * Server workload 3: idle accepted connections. The contender's server holds every connection it accepts, reading;
 * {@link IdleClients} in another JVM opens {@code count} connections to it and holds them. Heap used after repeated
 * full GCs, with the server listening before and with every connection accepted after, gives the heap per accepted
 * connection on the server side.
 */
public final class IdleAccepted {

    private IdleAccepted() {
    }

    /**
     * Runs the workload.
     * @param contender the server
     * @param wanted connections asked for (scaled down to the fd limit, with a warning)
     * @param clientsCommand the command that starts {@link IdleClients}, without its arguments
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, int wanted, List<String> clientsCommand, Sink sink) throws Exception {
        run(contender, wanted, clientsCommand, sink, false);
    }

    /**
     * Runs the workload over TCP, or over TLS 1.3 (row {@code tls-idle.heap}): then every client makes its handshake
     * before the next connects, and a connection counts once its handshake is done.
     * @param contender the server
     * @param wanted connections asked for (scaled down to the fd limit, with a warning)
     * @param clientsCommand the command that starts {@link IdleClients}, without its arguments
     * @param sink where the figures go
     * @param tls whether over TLS
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, int wanted, List<String> clientsCommand, Sink sink, boolean tls)
            throws Exception {
        int count = IdleConnections.fitToFdLimit(wanted);
        if (count < 100) {
            throw new IllegalStateException("open-file limit " + IdleConnections.fdLimit() + " leaves room for "
                    + count + " connections only; raise it with `ulimit -n`");
        }
        try (TcpServer server = tls ? contender.tlsServer(ServerRole.HOLD) : contender.tcpServer(ServerRole.HOLD)) {
            long heap0 = IdleConnections.heapAfterGc();
            long direct0 = IdleConnections.directMemory();
            List<String> command = new ArrayList<>(clientsCommand);
            command.add(Integer.toString(server.port()));
            command.add(Integer.toString(count));
            command.add(Boolean.toString(tls));
            Process clients = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = out.readLine();
                if (line == null || !line.startsWith("CONNECTED ")) {
                    throw new IllegalStateException("idle clients did not connect: " + line);
                }
                awaitAccepted(server, count);
                long heap1 = IdleConnections.heapAfterGc();
                double direct = (double) (IdleConnections.directMemory() - direct0) / count;
                String note = (Math.abs(direct) >= 1 ? String.format("; direct memory %+.0f B/conn", direct) : "")
                        + (count < wanted ? "; " + count + " connections, scaled down from " + wanted + " (ulimit -n "
                                + IdleConnections.fdLimit() + ")" : "");
                sink.report(tls ? "tls-idle.heap" : "server-idle.heap", (double) (heap1 - heap0) / count,
                        note.isEmpty() ? null : note.substring(2));
                clients.getOutputStream().close();
                clients.waitFor(30, TimeUnit.SECONDS);
            }
            finally {
                clients.destroyForcibly();
            }
        }
    }

    /** The clients' connects complete in the kernel; the server may still be taking the last ones from its backlog. */
    private static void awaitAccepted(TcpServer server, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (server.accepted().messages() < count) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("server accepted " + server.accepted().messages() + " of " + count
                        + " connections within 2 minutes");
            }
            Thread.sleep(50);
        }
    }

}

package dev.netstack.socket.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import dev.netstack.socket.FrameDecoder;
import dev.netstack.socket.Framing;
import dev.netstack.socket.bench.contender.Contenders;

/**
 * Workload 7: lines of {@value #LINE} bytes (then LF) cut from a stream, decoder against decoder. Each invocation
 * feeds {@value #LINES} lines in chunks of {@value #CHUNK} bytes, so that nearly every chunk ends inside a line, as
 * reads of a busy connection do; one operation is one line. {@code engine}: {@code Framing.lines(8192)} fed from one
 * reused direct buffer, as the event loop's read buffer; each frame a {@code byte[64]}. {@code netty-nio}:
 * {@code LineBasedFrameDecoder(8192)} in a pipeline, each chunk a direct buffer of the channel's (default) allocator
 * as Netty's read loop takes it, then {@code channelRead} and {@code channelReadComplete}; each frame a slice, released
 * by the last handler. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per line. The
 * benchmark thread's CPU time is counted too ({@link CpuTime}): on a shared machine the wall clock also counts the
 * time the thread waited for a core, CPU time does not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LineFraming {

    /** Bytes of a line, without its LF. */
    static final int LINE = 64;

    /** Lines per invocation. */
    static final int LINES = 16_384;

    /** Bytes per chunk: not a multiple of a line, so chunks end inside lines. */
    static final int CHUNK = 16_384;

    /** The longest line both decoders accept. */
    static final int MAX_LENGTH = 8192;

    /** The engine's own copy of each line: a {@code byte[64]}, 16 bytes of header and 64 of data. */
    public static final int FRAME_COPY_BYTES = 16 + LINE;

    /** The decoder. */
    @Param({Contenders.ENGINE, Contenders.NETTY_NIO})
    public String decoder;

    private byte[] stream;

    private ByteBuffer readBuffer;

    private FrameDecoder lines;

    private FrameDecoder.Sink sink;

    private EmbeddedChannel channel;

    private Blackhole blackhole;

    private long frames;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The CPU time of the decoding thread, per iteration: JMH reports each field as a secondary result.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {

        /** Nanoseconds of CPU time the thread spent decoding. */
        public long cpuNanos;

        /** Lines decoded meanwhile. */
        public long lines;

    }

    /**
     * Builds the stream and the decoder.
     */
    @Setup(Level.Trial)
    public void setUp() {
        this.stream = new byte[LINES * (LINE + 1)];
        for (int i = 0; i < LINES; i++) {
            int start = i * (LINE + 1);
            Arrays.fill(this.stream, start, start + LINE, (byte) ('a' + i % 26));
            this.stream[start + LINE] = '\n';
        }
        if (Contenders.ENGINE.equals(this.decoder)) {
            this.readBuffer = ByteBuffer.allocateDirect(CHUNK);
            this.lines = Framing.lines(MAX_LENGTH).newDecoder();
            this.sink = frame -> {
                this.frames++;
                this.blackhole.consume(frame);
                return true;
            };
        }
        else {
            this.channel = new EmbeddedChannel(new LineBasedFrameDecoder(MAX_LENGTH), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    LineFraming.this.frames++;
                    LineFraming.this.blackhole.consume(msg);
                    ((ByteBuf) msg).release();
                }
            });
        }
    }

    /**
     * Decodes {@value #LINES} lines.
     * @param blackhole takes each frame
     * @param cpu counts the thread's CPU time
     */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void decode(Blackhole blackhole, CpuTime cpu) {
        this.blackhole = blackhole;
        long before = this.frames;
        long started = THREADS.getCurrentThreadCpuTime();
        if (this.channel == null) {
            for (int at = 0; at < this.stream.length; at += CHUNK) {
                this.readBuffer.clear();
                this.readBuffer.put(this.stream, at, Math.min(CHUNK, this.stream.length - at)).flip();
                this.lines.decode(this.readBuffer, this.sink);
            }
        }
        else {
            ChannelPipeline pipeline = this.channel.pipeline();
            for (int at = 0; at < this.stream.length; at += CHUNK) {
                int size = Math.min(CHUNK, this.stream.length - at);
                ByteBuf chunk = this.channel.alloc().directBuffer(CHUNK);
                chunk.writeBytes(this.stream, at, size);
                pipeline.fireChannelRead(chunk);
                pipeline.fireChannelReadComplete();
            }
        }
        cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - started;
        cpu.lines += LINES;
        if (this.frames - before != LINES) {
            throw new IllegalStateException("decoded " + (this.frames - before) + " lines, not " + LINES);
        }
    }

    /**
     * Closes the pipeline.
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (this.channel != null) {
            this.channel.finishAndReleaseAll();
        }
    }

}

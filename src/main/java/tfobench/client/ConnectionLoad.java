package tfobench.client;

import org.HdrHistogram.Histogram;
import tfobench.Transport;
import tfobench.linux.ErrnoException;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.Response;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Many short connections, one after another on each of a few threads, each a whole exchange (open as the
 * handshake says, the seed's 1 + 1, response checked, evidence read, close by the client). Unlike a benchmark it
 * does not stop at the first failure: it counts every error by kind (e.g. {@code connect: EADDRNOTAVAIL}) and
 * gives up only after {@link #MAX_ERRORS}, so a run says how many connections failed and why.
 */
public final class ConnectionLoad {
    /** A run stops after this many errors: the cause is clear by then, and each may cost a timeout. */
    public static final long MAX_ERRORS = 1_000;

    /**
     * @param connections  connections attempted
     * @param completed    connections whose answer was right
     * @param errors       failed connections by kind (call and errno, or exception), sorted by kind
     * @param synData      completed connections by what happened to their SYN data
     * @param latency      nanoseconds per completed connection, open to close
     * @param elapsedNanos wall time of the whole run
     */
    public record Result(long connections, long completed, Map<String, Long> errors, Map<SynData, Long> synData,
                         Histogram latency, long elapsedNanos) {
        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private ConnectionLoad() {
    }

    /**
     * Runs {@code connections} exchanges split over {@code threads} clients; {@code progress} hears the running
     * total every {@code progressEvery} connections (from any thread).
     */
    public static Result run(Transport transport, Handshake handshake, InetSocketAddress server, long connections,
                             int threads, long progressEvery, LongConsumer progress) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            long share = connections / threads + (t < connections % threads ? 1 : 0);
            Worker w = new Worker(transport, handshake, server, share, done, failures, progressEvery, progress);
            workers.add(w);
            w.thread.start();
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Map<String, Long> errors = new TreeMap<>();
        Map<SynData, Long> synData = new EnumMap<>(SynData.class);
        long completed = 0;
        long attempted = 0;
        for (Worker w : workers) {
            w.thread.join();
            latency.add(w.latency);
            w.errors.forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            w.synData.forEach((s, n) -> synData.merge(s, n, Long::sum));
            completed += w.completed;
            attempted += w.attempted;
        }
        return new Result(attempted, completed, errors, synData, latency, System.nanoTime() - start);
    }

    /** What a failure is, for counting: the call and errno for system calls, else the exception's own words. */
    static String kind(Exception e) {
        if (e instanceof ErrnoException) {
            ErrnoException errno = (ErrnoException) e;
            String call = errno.call();
            int space = call.indexOf(' ');
            return (space > 0 ? call.substring(0, space) : call) + ": " + errno.errnoName();
        }
        String message = String.valueOf(e.getMessage());
        return e.getClass().getSimpleName() + ": " + (message.length() > 80 ? message.substring(0, 80) : message);
    }

    /** One client on one thread, counting in its own fields; read after the thread ends. */
    private static final class Worker implements Runnable {
        final Thread thread;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Map<String, Long> errors = new TreeMap<>();
        final Map<SynData, Long> synData = new EnumMap<>(SynData.class);
        long completed;
        long attempted;
        private final Transport transport;
        private final Handshake handshake;
        private final InetSocketAddress server;
        private final long share;
        private final AtomicLong done;
        private final AtomicLong failures;
        private final long progressEvery;
        private final LongConsumer progress;

        Worker(Transport transport, Handshake handshake, InetSocketAddress server, long share, AtomicLong done,
               AtomicLong failures, long progressEvery, LongConsumer progress) {
            this.transport = transport;
            this.handshake = handshake;
            this.server = server;
            this.share = share;
            this.done = done;
            this.failures = failures;
            this.progressEvery = progressEvery;
            this.progress = progress;
            this.thread = new Thread(this, "load-" + handshake.label());
        }

        @Override
        public void run() {
            try (CalcClient client = Clients.create(transport, handshake, server)) {
                for (long i = 0; i < share && failures.get() < MAX_ERRORS; i++) {
                    attempted++;
                    long start = System.nanoTime();
                    try {
                        Exchange exchange = client.exchange(Request.ONE_PLUS_ONE);
                        long nanos = System.nanoTime() - start;
                        if (Response.TWO.equals(exchange.response())) {
                            completed++;
                            synData.merge(exchange.synData(), 1L, Long::sum);
                            latency.recordValue(Math.min(nanos, latency.getHighestTrackableValue()));
                        } else {
                            fail("wrong answer: " + exchange.response());
                        }
                    } catch (IOException | ProtocolException e) {
                        fail(kind(e));
                    }
                    long total = done.incrementAndGet();
                    if (progressEvery > 0 && total % progressEvery == 0) {
                        progress.accept(total);
                    }
                }
            } catch (IOException | RuntimeException e) {
                fail("cannot create the client: " + e.getMessage());
            }
        }

        private void fail(String kind) {
            errors.merge(kind, 1L, Long::sum);
            failures.incrementAndGet();
        }
    }
}

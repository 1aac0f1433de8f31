package tfobench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.SynData;
import tfobench.linux.CpuAffinity;
import tfobench.linux.CpuStat;
import tfobench.linux.ErrnoException;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.ThreadCpuClock;
import tfobench.linux.TimerSlack;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.Response;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts connections on a fixed schedule (wrk2's model) and measures each first request from its intended start
 * time, so a stall delays the measured latency of every connection scheduled behind it instead of silently
 * lowering the rate (coordinated omission). Connection {@code i} is due at {@code t0 + i / rate}; client threads
 * take the schedule round-robin. Latencies go to HdrHistogram {@link Recorder}s, cut into one-second intervals
 * written to an interval log: untagged from intended start (what HdrHistogram's {@code HistogramLogProcessor} reads
 * by default), tagged {@value #SERVICE_TAG} from actual start.
 */
public final class OpenLoopRunner {
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Tag of the interval log's service-time intervals (from the actual start). */
    public static final String SERVICE_TAG = "service";
    private static final int DIGITS = 3;
    /** How long after the schedule's end stragglers may still finish before they count as not started. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoadPoint point;
    private final InetSocketAddress server;
    private final Recorder response = new Recorder(HIGHEST_NANOS, DIGITS);
    private final Recorder service = new Recorder(HIGHEST_NANOS, DIGITS);
    private final Recorder lag = new Recorder(HIGHEST_NANOS, DIGITS);
    private final AtomicLongArray outcomes = new AtomicLongArray(SynData.values().length);
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong retransmitted = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong lastCompletion = new AtomicLong();
    /** CPU time the client threads used from their first measured connection on, added by each as it ends. */
    private final AtomicLong clientThreadNanos = new AtomicLong();
    private final List<Thread> serverThreads;
    private final BitSet serverCpus;
    private volatile boolean stop;

    public OpenLoopRunner(LoadPoint point, InetSocketAddress server) {
        this(point, server, null, null);
    }

    /**
     * @param serverThreads the server's threads when it runs in this JVM (their CPU time is then measured), or null
     * @param serverCpus    the CPUs the server is pinned to, or null; with exactly one, that CPU's busy share is
     *                      read from {@code /proc/stat} too
     */
    public OpenLoopRunner(LoadPoint point, InetSocketAddress server, List<Thread> serverThreads, BitSet serverCpus) {
        this.point = point;
        this.server = server;
        this.serverThreads = serverThreads == null ? null : List.copyOf(serverThreads);
        this.serverCpus = serverCpus == null ? null : (BitSet) serverCpus.clone();
    }

    /** Runs the point; interval histograms go to {@code log} (may be null). */
    public LoadResult run(HistogramLogWriter log) throws IOException, InterruptedException, ProtocolException {
        long warmup = point.warmupConnections();
        long total = warmup + point.measuredConnections();
        double interval = point.intervalNanos();
        int threads = (int) Math.min(point.threads(), total);
        List<CalcClient> clients = new ArrayList<>();
        try {
            for (int k = 0; k < threads; k++) {
                clients.add(Clients.create(point.transport(), point.handshake(), server,
                        ClientOptions.defaults().withCpus(point.clientCpus())));
            }
            // Cache a cookie first: the schedule measures the cookie-warm path, like the JMH benchmarks.
            clients.get(0).exchange(Request.ONE_PLUS_ONE);

            CountDownLatch done = new CountDownLatch(threads);
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long measuredStart = t0 + Math.round(warmup * interval);
            long scheduleEnd = t0 + Math.round(total * interval);
            List<Thread> workers = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                int first = k;
                CalcClient client = clients.get(k);
                Thread worker = new Thread(() -> {
                    try {
                        work(client, first, threads, total, warmup, t0, interval, scheduleEnd + DRAIN_NANOS);
                    } finally {
                        done.countDown();
                    }
                }, "load-" + point.name() + "-" + k);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }

            // The counters are the namespace's: read them between the last warm-up start and the first measured
            // one, so the window is off by at most the connections in flight at its edges.
            sleepUntil(measuredStart - Math.min(Math.round(interval / 2), TimeUnit.MILLISECONDS.toNanos(1)));
            takeIntervals(); // warm-up
            TcpExtCounters before = TcpExtCounters.read();
            CpuWindow cpu = new CpuWindow(clients);
            Histogram responseTotal = new Histogram(HIGHEST_NANOS, DIGITS);
            Histogram serviceTotal = new Histogram(HIGHEST_NANOS, DIGITS);
            Histogram lagTotal = new Histogram(HIGHEST_NANOS, DIGITS);
            long next = measuredStart + INTERVAL_NANOS;
            while (!done.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                cut(log, responseTotal, serviceTotal, lagTotal);
                next += INTERVAL_NANOS;
                if (System.nanoTime() > scheduleEnd + DRAIN_NANOS) {
                    stop = true;
                }
            }
            cut(log, responseTotal, serviceTotal, lagTotal);
            TcpExtCounters delta = TcpExtCounters.read().minus(before);
            for (Thread worker : workers) {
                worker.join();
            }
            LoadCpu cpuUsed = cpu.end(clients, completed.get());

            long measured = point.measuredConnections();
            long measuredStarted = Math.max(0, started.get() - warmup);
            double elapsed = (lastCompletion.get() - measuredStart) / 1e9;
            Map<SynData, Long> evidence = new EnumMap<>(SynData.class);
            for (SynData s : SynData.values()) {
                if (outcomes.get(s.ordinal()) > 0) {
                    evidence.put(s, outcomes.get(s.ordinal()));
                }
            }
            Map<String, Long> errorCounts = new TreeMap<>();
            errors.forEach((k, v) -> errorCounts.put(k, v.get()));
            return new LoadResult(point, measured, completed.get(), errorCounts, measured - measuredStarted,
                    elapsed, responseTotal, serviceTotal, lagTotal, evidence, delta, retransmitted.get(), cpuUsed);
        } finally {
            stop = true;
            for (CalcClient client : clients) {
                client.close();
            }
        }
    }

    private void work(CalcClient client, int first, int stride, long total, long warmup, long t0, double interval,
                      long deadline) {
        try {
            TimerSlack.setCurrentThread(1);
            if (point.clientCpus() != null) {
                CpuAffinity.pinCurrentThread(point.clientCpus());
            }
        } catch (ErrnoException e) {
            errors.computeIfAbsent("thread setup: " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
        }
        long cpuFrom = -1;
        try {
            for (long i = first; i < total && !stop; i += stride) {
                if (cpuFrom < 0 && i >= warmup) {
                    cpuFrom = ThreadCpuClock.currentThreadNanos(); // once per thread, at its first measured connection
                }
                if (!workOne(client, i, warmup, t0, interval, deadline)) {
                    return;
                }
            }
        } finally {
            if (cpuFrom >= 0) {
                clientThreadNanos.addAndGet(ThreadCpuClock.currentThreadNanos() - cpuFrom);
            }
        }
    }

    /**
     * Connection {@code i}: waits for its intended start, runs it, records it if measured; false when its start came
     * after the deadline (it is not started, nor is any later one).
     */
    private boolean workOne(CalcClient client, long i, long warmup, long t0, double interval, long deadline) {
        long intended = t0 + Math.round(i * interval);
        sleepUntil(intended);
        long start = System.nanoTime();
        if (start > deadline) {
            return false; // counted as not started
        }
        started.incrementAndGet();
        boolean measured = i >= warmup;
        try {
            Exchange exchange = client.exchange(Request.ONE_PLUS_ONE);
            long end = System.nanoTime();
            if (!Response.TWO.equals(exchange.response())) {
                throw new IllegalStateException("wrong answer: " + exchange.response());
            }
            if (measured) {
                response.recordValue(Math.min(end - intended, HIGHEST_NANOS));
                service.recordValue(Math.min(end - start, HIGHEST_NANOS));
                lag.recordValue(Math.min(Math.max(0, start - intended), HIGHEST_NANOS));
                outcomes.incrementAndGet(exchange.synData().ordinal());
                if (exchange.retransmitted()) {
                    retransmitted.incrementAndGet();
                }
                completed.incrementAndGet();
                lastCompletion.accumulateAndGet(end, Math::max);
            }
        } catch (Exception e) {
            if (measured) {
                errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                        k -> new AtomicLong()).incrementAndGet();
                lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }
        return true;
    }

    /**
     * The measured window's CPU: server threads and the clients' own threads (Netty's event loops) read by this thread
     * at its start and end; the client threads add their own share as they end (their clocks go with them).
     */
    private final class CpuWindow {
        private final long startNanos = System.nanoTime();
        private final Map<Thread, Long> serverStart = new HashMap<>();
        private final Map<Thread, Long> eventLoopStart = new HashMap<>();
        private final int serverCpu;
        private final CpuStat serverCpuStart;

        CpuWindow(List<CalcClient> clients) throws IOException {
            if (serverThreads != null) {
                serverThreads.forEach(t -> serverStart.put(t, ThreadCpuClock.nanos(t)));
            }
            for (CalcClient c : clients) {
                c.threads().forEach(t -> eventLoopStart.put(t, ThreadCpuClock.nanos(t)));
            }
            serverCpu = serverCpus != null && serverCpus.cardinality() == 1 ? serverCpus.nextSetBit(0) : -1;
            serverCpuStart = serverCpu >= 0 ? CpuStat.read(serverCpu) : null;
        }

        LoadCpu end(List<CalcClient> clients, long connections) throws IOException {
            long server = -1;
            if (serverThreads != null) {
                server = 0;
                for (Thread t : serverThreads) {
                    server += Math.max(0, ThreadCpuClock.nanos(t) - Math.max(0, serverStart.getOrDefault(t, 0L)));
                }
            }
            long eventLoops = 0;
            for (CalcClient c : clients) {
                for (Thread t : c.threads()) {
                    eventLoops += Math.max(0, ThreadCpuClock.nanos(t) - Math.max(0, eventLoopStart.getOrDefault(t, 0L)));
                }
            }
            double busy = serverCpuStart == null ? Double.NaN : CpuStat.read(serverCpu).busySince(serverCpuStart);
            return new LoadCpu(System.nanoTime() - startNanos, server, clientThreadNanos.get() + eventLoops,
                    connections, busy);
        }
    }

    private void takeIntervals() {
        response.getIntervalHistogram();
        service.getIntervalHistogram();
        lag.getIntervalHistogram();
    }

    private void cut(HistogramLogWriter log, Histogram responseTotal, Histogram serviceTotal, Histogram lagTotal) {
        Histogram r = response.getIntervalHistogram();
        Histogram s = service.getIntervalHistogram();
        Histogram l = lag.getIntervalHistogram();
        responseTotal.add(r);
        serviceTotal.add(s);
        lagTotal.add(l);
        if (log != null) {
            // Untagged: what HdrHistogram's tools read by default, the latency from intended start.
            s.setTag(SERVICE_TAG);
            log.outputIntervalHistogram(r);
            log.outputIntervalHistogram(s);
        }
    }

    private static void sleepUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}

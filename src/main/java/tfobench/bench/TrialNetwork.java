package tfobench.bench;

import tfobench.linux.NetworkNamespace;
import tfobench.linux.SocketCounts;
import tfobench.linux.TcpExtCounters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the current trials' connections live. In the run's private namespace every trial starts in a fresh network
 * namespace of its own ({@link NetworkNamespace}, entered by the benchmark thread in its setup): earlier trials'
 * TIME_WAIT sockets, tcp_metrics entries and counters cannot reach it, so the order in which JMH runs the scenarios
 * no longer changes what each one meets. The evidence profiler reads the counters of these namespaces, not of the
 * process's; without a fresh namespace (a remote server, or a run in the host's namespace) it reads the process's.
 */
final class TrialNetwork {
    /** {@code /proc/.../net} of each benchmark thread that entered a fresh namespace, and that thread. */
    private static final Map<Path, Thread> NAMESPACES = new ConcurrentHashMap<>();
    private static final Path PROCESS = Path.of("/proc/self/net");

    private TrialNetwork() {
    }

    /** Moves the calling benchmark thread into a fresh namespace and remembers it for the counters. */
    static void enterFresh() throws IOException {
        // Threads of earlier trials (-f 0) that are over. Their /proc entry can outlive Thread.join() for a moment (the
        // native thread exits after Java calls it terminated), so a finished Java thread is enough.
        NAMESPACES.entrySet().removeIf(e -> !e.getValue().isAlive() || !Files.exists(e.getKey()));
        NetworkNamespace ns = NetworkNamespace.enterFresh();
        NAMESPACES.put(ns.procNet(), Thread.currentThread());
    }

    /** The namespaces whose counters the profiler reads now. */
    static java.util.Set<Path> namespaces() {
        return java.util.Set.copyOf(NAMESPACES.keySet());
    }

    /** True when the counters come from trials' own namespaces. */
    static boolean fresh() {
        return !NAMESPACES.isEmpty();
    }

    /** The TcpExt counters of the trials' namespaces (summed), or of the process's namespace. */
    static TcpExtCounters counters() {
        try {
            if (NAMESPACES.isEmpty()) {
                return TcpExtCounters.read();
            }
            TcpExtCounters sum = TcpExtCounters.empty();
            for (Path p : NAMESPACES.keySet()) {
                try {
                    sum = sum.plus(TcpExtCounters.read(p));
                } catch (NoSuchFileException gone) {
                    NAMESPACES.remove(p); // its thread has exited: that trial is over
                }
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TIME_WAIT sockets now, in the trials' namespaces (summed) or the process's. */
    static long timeWait() {
        try {
            if (NAMESPACES.isEmpty()) {
                return SocketCounts.timeWait(PROCESS);
            }
            long sum = 0;
            for (Path p : NAMESPACES.keySet()) {
                try {
                    sum += SocketCounts.timeWait(p);
                } catch (NoSuchFileException gone) {
                    NAMESPACES.remove(p);
                }
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package tfobench.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a server could leak, measured in this JVM: open descriptors ({@code /proc/self/fd}: sockets, pipes, epoll
 * and event descriptors, each with what it points to), live threads by name, heap in use after a full GC, and
 * the direct memory Netty's default allocator holds. A test takes one snapshot before and one after, and
 * {@link #awaitSame} gives the server a moment to finish closing.
 */
public record ProcessResources(Set<String> descriptors, Set<String> threads, long heapBytes, long nettyDirectBytes) {
    /** Heap may differ by this much after GC without being a leak (JIT, class data, test framework). */
    public static final long HEAP_SLACK_BYTES = 16L << 20;
    /** Netty's pooled chunks may stay allocated after use; more than this would be buffering, not pooling. */
    public static final long DIRECT_SLACK_BYTES = 16L << 20;

    public static ProcessResources snapshot() throws IOException {
        return new ProcessResources(openDescriptors(), liveThreadNames(), heapAfterGc(), nettyDirect());
    }

    /**
     * Polls until descriptors and threads are back to {@code before} (the server may still be closing its side),
     * then checks heap and direct memory within their slack; fails naming what grew.
     */
    public static ProcessResources awaitSame(ProcessResources before, Duration wait) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<String> fds = openDescriptors();
        Set<String> threads = liveThreadNames();
        while ((!fds.equals(before.descriptors) || !threads.equals(before.threads)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            fds = openDescriptors();
            threads = liveThreadNames();
        }
        ProcessResources after = new ProcessResources(fds, threads, heapAfterGc(), nettyDirect());
        if (!fds.equals(before.descriptors)) {
            throw new AssertionError("descriptors " + before.descriptors.size() + " -> " + fds.size() + ": new "
                    + minus(fds, before.descriptors) + ", gone " + minus(before.descriptors, fds));
        }
        if (!threads.equals(before.threads)) {
            throw new AssertionError("threads " + before.threads.size() + " -> " + threads.size() + ": new "
                    + minus(threads, before.threads) + ", gone " + minus(before.threads, threads));
        }
        if (after.heapBytes > before.heapBytes + HEAP_SLACK_BYTES) {
            throw new AssertionError("heap after GC grew from " + mb(before.heapBytes) + " to " + mb(after.heapBytes));
        }
        if (after.nettyDirectBytes > before.nettyDirectBytes + DIRECT_SLACK_BYTES) {
            throw new AssertionError("Netty direct memory grew from " + mb(before.nettyDirectBytes) + " to "
                    + mb(after.nettyDirectBytes));
        }
        return after;
    }

    /** {@code fds 31->31, threads 27->27, heap 14.2->14.9 MB, direct 4.0->4.0 MB}. */
    public String comparedTo(ProcessResources before) {
        return "fds " + before.descriptors.size() + "->" + descriptors.size() + ", threads " + before.threads.size()
                + "->" + threads.size() + ", heap " + mb(before.heapBytes) + "->" + mb(heapBytes) + ", direct "
                + mb(before.nettyDirectBytes) + "->" + mb(nettyDirectBytes);
    }

    public static Set<String> openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            Set<String> described = new TreeSet<>();
            String listing = "/proc/" + ProcessHandle.current().pid() + "/fd";
            for (Path fd : fds.collect(Collectors.toList())) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.equals(listing) && isNetworkOrEvent(target)) {
                        described.add(fd.getFileName() + "->" + target);
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
            return described;
        }
    }

    /**
     * Sockets, pipes and anonymous inodes (epoll, eventfd): what a server opens. Files are left out: the JVM opens
     * some of its own for a moment (cgroup limits, jars while loading classes), which a snapshot may catch.
     */
    private static boolean isNetworkOrEvent(String target) {
        return target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:");
    }

    /**
     * Live threads by name, leaving out two shared pools that start on demand and end when idle, whatever the server
     * does: Netty's global executor, and the JDK's "process reaper" (a test that ran {@code ip} or {@code tc} before
     * leaves one waiting for up to a minute).
     */
    public static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> !name.startsWith("globalEventExecutor") && !name.equals("process reaper"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Heap in use right after a full collection ({@code System.gc()} is one, stop-the-world, with G1). */
    public static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static long nettyDirect() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    public static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}

package tfobench.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An emulated round-trip time on the private namespace's loopback: {@code tc qdisc replace dev lo root netem delay
 * <rtt/2>}. Every packet leaves through lo's egress once, so each direction is delayed by half the RTT and a
 * request-response exchange sees the whole RTT, as on a real path (TFO then saves one RTT against a three-way
 * handshake). Only ever applied inside a namespace made for the run ({@link PrivateNetns#isPrivate()}): the host's
 * {@code lo} is never touched. Needs the kernel's {@code sch_netem} and iproute2's {@code tc}.
 */
public final class LoopbackDelay implements AutoCloseable {
    static final String DEVICE = "lo";
    /** What to do where netem is missing; printed after the reason. */
    public static final String FIX = "use a kernel with sch_netem (Ubuntu: apt-get install linux-modules-extra-$(uname "
            + "-r); Fedora: dnf install kernel-modules-extra; Debian's kernels have it), or run the RTT sweep on "
            + "Debian kernels under qemu: scripts/kernel-matrix.sh";

    private final int rttMillis;
    private final Thread removeOnExit;
    private boolean removed;

    private LoopbackDelay(int rttMillis) {
        this.rttMillis = rttMillis;
        this.removeOnExit = new Thread(this::removeQuietly, "remove-netem-on-exit");
    }

    /**
     * Delays lo by {@code rttMillis / 2} in each direction until {@link #close()} (or this JVM's exit, so a failed
     * benchmark cannot leave its delay for the next one in the same namespace).
     *
     * @throws MissingCapabilityException outside a private namespace, or where the kernel or tc cannot do it
     */
    public static LoopbackDelay apply(int rttMillis) {
        if (rttMillis <= 0) {
            throw new IllegalArgumentException("an emulated RTT must be positive, got " + rttMillis + " ms");
        }
        if (!PrivateNetns.isPrivate()) {
            throw new MissingCapabilityException("refusing to emulate an RTT of " + rttMillis + " ms outside a "
                    + "private network namespace (the host's lo is never changed): run through java -jar "
                    + "benchmarks.jar, which makes one, without TFOBENCH_NETNS=host");
        }
        LoopbackDelay delay = new LoopbackDelay(rttMillis);
        try {
            tc(replaceArguments(rttMillis));
        } catch (IOException e) {
            throw new MissingCapabilityException("cannot emulate an RTT of " + rttMillis + " ms with netem on lo ("
                    + explain(e) + "): " + FIX);
        }
        Runtime.getRuntime().addShutdownHook(delay.removeOnExit);
        return delay;
    }

    /** {@code tc} arguments for an RTT: half of it per direction, in microseconds so odd RTTs stay exact. */
    static List<String> replaceArguments(int rttMillis) {
        long oneWayMicros = rttMillis * 1000L / 2;
        return List.of("qdisc", "replace", "dev", DEVICE, "root", "netem", "delay", oneWayMicros + "us");
    }

    public int rttMillis() {
        return rttMillis;
    }

    /** Removes the delay: lo goes back to no qdisc. */
    @Override
    public synchronized void close() throws IOException {
        if (removed) {
            return;
        }
        removed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running us
        }
        tc(List.of("qdisc", "del", "dev", DEVICE, "root"));
    }

    private void removeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // the namespace dies with the run anyway
        }
    }

    /**
     * Why an RTT cannot be emulated here, or empty when it can. Inside a private namespace this is a real attempt
     * (a zero delay added to lo and removed again); outside one nothing is changed and the answer is always no.
     */
    public static Optional<String> whyUnavailable() {
        if (!PrivateNetns.isPrivate()) {
            return Optional.of("not in a private network namespace, where alone lo may be delayed ("
                    + moduleState() + ")");
        }
        try {
            tc(List.of("qdisc", "replace", "dev", DEVICE, "root", "netem", "delay", "0us"));
            tc(List.of("qdisc", "del", "dev", DEVICE, "root"));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(explain(e));
        }
    }

    /** One line: the kernel's lack of netem said plainly, anything else as tc said it. */
    static String explain(IOException tcFailure) {
        String message = tcFailure.getMessage();
        if (message.contains("qdisc kind is unknown")) {
            return "the kernel has no sch_netem: " + moduleState() + "; tc: Specified qdisc kind is unknown";
        }
        return message;
    }

    /** What the file system says about sch_netem for the running kernel (no module is loaded to find out). */
    static String moduleState() {
        try {
            String release = ProcFs.readSysctl(Path.of("/proc/sys/kernel/osrelease"));
            if (!Files.exists(Path.of("/proc/modules"))) {
                return "kernel " + release + " has no loadable module support and netem is not built in";
            }
            if (Files.readAllLines(Path.of("/proc/modules")).stream().anyMatch(l -> l.startsWith("sch_netem "))) {
                return "sch_netem loaded";
            }
            Path modules = Path.of("/lib/modules", release);
            Path builtin = modules.resolve("modules.builtin");
            if (Files.exists(builtin) && Files.readString(builtin).contains("/sch_netem.ko")) {
                return "sch_netem built in";
            }
            Path sched = modules.resolve("kernel/net/sched");
            if (Files.isDirectory(sched)) {
                try (var files = Files.list(sched)) {
                    if (files.anyMatch(p -> p.getFileName().toString().startsWith("sch_netem.ko"))) {
                        return "sch_netem module installed, not loaded";
                    }
                }
            }
            return "no sch_netem for kernel " + release + " (not loaded, not built in, no module in " + modules + ")";
        } catch (IOException | RuntimeException e) {
            return "sch_netem state unknown: " + e.getMessage();
        }
    }

    /** Runs {@code tc ARGS}; fails with tc's own message (e.g. "Specified qdisc kind is unknown"). */
    static void tc(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("tc");
        command.addAll(args);
        Command.run(String.join(" ", command), command, "apt-get install iproute2");
    }
}

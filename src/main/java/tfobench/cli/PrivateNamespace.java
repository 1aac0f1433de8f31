package tfobench.cli;

import tfobench.Settings;
import tfobench.linux.MissingCapabilityException;
import tfobench.linux.PrivateNetns;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Re-runs this very command line inside a new network namespace (and user namespace unless root) where
 * {@code tcp_fastopen=3} can be set without touching the host. A JVM cannot unshare itself (it is
 * multi-threaded), so the {@code unshare} program does it and the child finishes the setup
 * ({@link PrivateNetns#prepare()}). JMH's forks are children of the child and inherit the namespace.
 */
final class PrivateNamespace {
    private PrivateNamespace() {
    }

    static boolean inside() {
        return PrivateNetns.isPrivate();
    }

    static boolean optedOut() {
        return Settings.stayInCurrentNamespace();
    }

    /** {@code --net} for root (effective uid 0), which may make a network namespace; others need a user one too. */
    static List<String> unshareFlags() {
        return PrivateNetns.effectiveUid() == 0 ? List.of("--net") : List.of("--user", "--map-root-user", "--net");
    }

    /** Why a namespace cannot be made here, or empty when it can. */
    static Optional<String> whyNot() {
        List<String> probe = new ArrayList<>();
        probe.add("unshare");
        probe.addAll(unshareFlags());
        probe.add("--");
        probe.add("true");
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("unshare did not return within 10 s");
            }
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of(String.join(" ", probe.subList(0, probe.size() - 2)) + ": " + output);
        } catch (IOException e) {
            return Optional.of("unshare not found (apt-get install util-linux)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The fix to print when no namespace can be made and the host lacks the server bit. */
    static String fix(String whyNot) {
        return "cannot create a private network namespace (" + whyNot + "). Fix one of: run as root (sudo java "
                + "-jar benchmarks.jar ...); allow unprivileged user namespaces (Ubuntu 23.10+: sysctl -w "
                + "kernel.apparmor_restrict_unprivileged_userns=0; elsewhere: sysctl -w user.max_user_namespaces="
                + "15000); or enable TFO server support on this host (sysctl -w net.ipv4.tcp_fastopen=3) and run "
                + "with TFOBENCH_NETNS=host";
    }

    /** Where the process ended up: a namespace to run in, or an exit status because there is nothing to run. */
    record Entry(String namespace, Integer exitStatus) {
        boolean finished() {
            return exitStatus != null;
        }
    }

    /**
     * Makes sure this process runs where TCP Fast Open works without touching the host: inside the private
     * namespace already (prepare it), opted out with {@code TFOBENCH_NETNS=host}, or re-run inside a new one
     * (then the child's exit status is the answer). With none of these possible and the host's server bit off,
     * prints the preflight and one line with the fix, and answers exit status 1.
     */
    static Entry enter(PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (inside()) {
            PrivateNetns.prepare();
            return new Entry(PrivateNetns.describe() + "; tcp_fastopen=3 set there, host untouched", null);
        }
        if (optedOut()) {
            return new Entry("host's network namespace (TFOBENCH_NETNS=host): counters include other traffic",
                    null);
        }
        Optional<String> whyNot = whyNot();
        if (whyNot.isEmpty()) {
            out.println("# tfo-bench: re-running inside a private network namespace (unshare "
                    + String.join(" ", unshareFlags()) + ") where tcp_fastopen=3 applies to this run only; the "
                    + "host's settings stay as they are");
            out.flush();
            Optional<Integer> status = reexec();
            if (status.isPresent()) {
                return new Entry(null, status.get());
            }
            whyNot = Optional.of("cannot read this process's command line to re-run it");
        }
        String namespace = "host's network namespace (no private one: " + whyNot.get() + ")";
        Preflight preflight = Preflight.check(namespace);
        if (!preflight.fastOpenReady()) {
            preflight.print(out);
            err.println("tfo-bench: " + fix(whyNot.get()));
            return new Entry(null, 1);
        }
        return new Entry(namespace, null);
    }

    /**
     * The check tool's entry, stricter than {@link #enter}: inside the private namespace already (prepare it), opted
     * out with {@code TFOBENCH_NETNS=host}, or re-run inside a new one; never a silent fall back to the host's
     * namespace, whose counters would mix with other traffic.
     *
     * @throws MissingCapabilityException with the fix when no namespace can be made
     */
    static Entry enterOrRefuse() throws IOException, InterruptedException, MissingCapabilityException {
        if (inside()) {
            PrivateNetns.prepare();
            return new Entry(PrivateNetns.describe(), null);
        }
        if (optedOut()) {
            return new Entry("host's network namespace (TFOBENCH_NETNS=host)", null);
        }
        Optional<String> whyNot = whyNot();
        if (whyNot.isPresent()) {
            throw new MissingCapabilityException(fix(whyNot.get()));
        }
        Optional<Integer> status = reexec();
        if (status.isEmpty()) {
            throw new MissingCapabilityException("cannot read this process's command line to re-run it in a "
                    + "private namespace; run it under unshare with TFOBENCH_NETNS=private");
        }
        return new Entry(null, status.get());
    }

    /** Runs this command line again inside the namespace, returning its exit status; empty if that cannot be done. */
    static Optional<Integer> reexec() throws InterruptedException {
        ProcessHandle.Info self = ProcessHandle.current().info();
        if (self.command().isEmpty() || self.arguments().isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add("unshare");
        command.addAll(unshareFlags());
        command.add("--");
        command.add("env");
        command.add(Settings.NETNS.environment() + "=" + Settings.NETNS_PRIVATE);
        command.add("PATH=" + withSystemDirectories(System.getenv("PATH")));
        command.add(self.command().get());
        command.addAll(List.of(self.arguments().get()));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "stop-namespaced-child"));
            return Optional.of(child.waitFor());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * PATH with /usr/sbin and /sbin added when missing: inside the namespace the run sets it up with {@code ip} and
     * {@code tc} (iproute2 puts them there), and an ordinary user's PATH on Debian has neither directory.
     */
    static String withSystemDirectories(String path) {
        String result = path == null || path.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : path;
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (!List.of(result.split(":")).contains(dir)) {
                result = result + ":" + dir;
            }
        }
        return result;
    }
}

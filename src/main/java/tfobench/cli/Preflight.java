package tfobench.cli;

import io.netty.channel.epoll.Epoll;
import tfobench.Settings;
import tfobench.Transport;
import tfobench.bench.Placement;
import tfobench.linux.CpuAffinity;
import tfobench.linux.ErrnoException;
import tfobench.linux.FastOpenBlackhole;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.ProcFs;
import tfobench.report.EnvironmentSnapshot;

import java.io.IOException;
import java.io.PrintStream;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this machine can measure, checked before anything is: kernel, the fast open sysctl bit by bit, Netty's
 * epoll native library, the namespace, the CPUs for each placement, the kernel's fast open blackhole detection
 * (its timeout, and whether it has disabled fast open here), per scenario whether it can run and, if not, why and
 * how to fix it; then every {@link Settings#RUN} setting with its value and where it came from.
 */
final class Preflight {
    final String kernel;
    final FastOpenSysctl sysctl;
    final String namespace;
    final boolean epoll;
    final String epollWhyNot;
    final BitSet cpus;
    /** Why {@code -p rtt=N} (N > 0) cannot run here, or null when netem works on this namespace's lo. */
    final String netemWhyNot;
    /** The kernel's fast open blackhole detection in this namespace: timeout, detections, whether active now. */
    final FastOpenBlackhole blackhole;
    /** scenario -> "yes" or "no: reason; fix". */
    final Map<String, String> scenarios = new LinkedHashMap<>();

    private Preflight(String namespace, boolean tryScenarios) throws IOException {
        this.kernel = EnvironmentSnapshot.kernelRelease();
        this.sysctl = FastOpenSysctl.read();
        this.namespace = namespace;
        this.epoll = Epoll.isAvailable();
        this.epollWhyNot = epoll ? null : String.valueOf(Epoll.unavailabilityCause());
        this.cpus = allowedCpus();
        this.netemWhyNot = LoopbackDelay.whyUnavailable().orElse(null);
        this.blackhole = FastOpenBlackhole.probe();

        String fastOpenWhyNot = sysctl.clientEnabled() && sysctl.serverEnabled() ? null
                : "net.ipv4.tcp_fastopen=" + sysctl.value() + " lacks " + (sysctl.clientEnabled() ? "" : "0x1 ")
                + (sysctl.serverEnabled() ? "" : "0x2 ") + "in this namespace";
        if (tryScenarios) {
            List<Transport> transports = epoll ? List.of(Transport.NATIVE, Transport.NETTY) : List.of(Transport.NATIVE);
            scenarios.putAll(ScenarioTrials.run(transports, fastOpenWhyNot));
        } else {
            for (String s : List.of(ScenarioTrials.COLD, ScenarioTrials.KEEPALIVE, ScenarioTrials.TFO,
                    ScenarioTrials.TFO_CONNECT, ScenarioTrials.COOKIE_FRESH, ScenarioTrials.COOKIE_NETLINK,
                    ScenarioTrials.IPV6)) {
                scenarios.put(s, "not tried here: -p host= measures a server on another host");
            }
        }
        scenarios.put("transport native", "yes");
        scenarios.put("transport netty", epoll ? "yes" : "no: Netty epoll native unavailable (" + epollWhyNot + ")");
        scenarios.put("rtt > 0 (netem)", netemWhyNot == null ? "yes (a netem qdisc was put on lo and removed)"
                : "no: " + netemWhyNot);
        scenarios.putAll(ScenarioTrials.tryPlacements(cpus));
    }

    /** Everything, with every scenario tried in this namespace. */
    static Preflight check(String namespace) throws IOException {
        return new Preflight(namespace, true);
    }

    /** For a run against a remote server: the machine's facts, no in-process scenario tried. */
    static Preflight checkWithoutTrials(String namespace) throws IOException {
        return new Preflight(namespace, false);
    }

    boolean fastOpenReady() {
        return sysctl.clientEnabled() && sysctl.serverEnabled();
    }

    void print(PrintStream out) {
        out.println("# tfo-bench preflight");
        row(out, "kernel", kernel);
        row(out, "tcp_fastopen", String.valueOf(sysctl.value()));
        for (String bit : sysctl.describe()) {
            row(out, "", bit);
        }
        row(out, "namespace", namespace);
        row(out, "netty epoll", epoll ? "native library loaded" : "unavailable: " + epollWhyNot);
        row(out, "cpus allowed", cpus.toString());
        row(out, "time-wait reuse", timeWaitReuse());
        row(out, "fast open blackhole", blackhole.describe());
        row(out, "netem", netemWhyNot == null ? "yes: -p rtt=N delays lo by N/2 ms each way for the trial"
                : "no (" + netemWhyNot + "): -p rtt=N with N > 0 is refused");
        for (Map.Entry<String, String> s : scenarios.entrySet()) {
            row(out, "can run " + s.getKey(), s.getValue());
        }
        for (Settings.Setting s : Settings.RUN) {
            row(out, "setting " + s.name(), s.describe());
        }
        out.flush();
    }

    /** Whether short connections will hit the ephemeral port search (see PrivateNetns.shortenTimeWaitReuse). */
    private static String timeWaitReuse() {
        String delay = sysctlOr("tcp_tw_reuse_delay", null);
        String range = sysctlOr("ip_local_port_range", "?");
        String reuse = sysctlOr("tcp_tw_reuse", "?");
        if (delay != null && delay.equals("1")) {
            return "after 1 ms (tcp_tw_reuse=" + reuse + ", ports " + range + ")";
        }
        return "after " + (delay == null ? "1000" : delay) + " ms (tcp_tw_reuse=" + reuse + ", ports " + range
                + "): above ~" + portCount(range) + " connections/s connect() searches the port range, which "
                + "shows in the tails of cold/tfo results";
    }

    private static String portCount(String range) {
        String[] parts = range.split(" ");
        try {
            return Integer.toString(Integer.parseInt(parts[1]) - Integer.parseInt(parts[0]) + 1);
        } catch (RuntimeException e) {
            return "28,000";
        }
    }

    private static String sysctlOr(String name, String fallback) {
        try {
            return ProcFs.readSysctl(java.nio.file.Path.of("/proc/sys/net/ipv4", name));
        } catch (IOException e) {
            return fallback;
        }
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("#   %-37s %s%n", name, value);
    }

    private static BitSet allowedCpus() {
        try {
            return CpuAffinity.currentThreadAffinity();
        } catch (ErrnoException e) {
            BitSet all = new BitSet();
            all.set(0, Runtime.getRuntime().availableProcessors());
            return all;
        }
    }
}

package tfobench.cli;

import io.netty.channel.epoll.Epoll;
import tfobench.bench.Placement;
import tfobench.linux.CpuAffinity;
import tfobench.linux.ErrnoException;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.LoopbackDelay;
import tfobench.linux.ProcFs;
import tfobench.linux.Syscalls;
import tfobench.linux.TcpMetrics;
import tfobench.report.EnvironmentSnapshot;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this machine can measure, checked before anything is: kernel, the fast open sysctl bit by bit, Netty's
 * epoll native library, the namespace, the CPUs for each placement, and per scenario whether it can run and,
 * if not, why and how to fix it.
 */
final class Preflight {
    final String kernel;
    final FastOpenSysctl sysctl;
    final String namespace;
    final boolean epoll;
    final String epollWhyNot;
    final BitSet cpus;
    final String cookieFlushWhyNot;
    final String fastOpenConnectWhyNot;
    /** Why {@code -p rtt=N} (N > 0) cannot run here, or null when netem works on this namespace's lo. */
    final String netemWhyNot;
    /** scenario -> "yes" or "no: reason; fix". */
    final Map<String, String> scenarios = new LinkedHashMap<>();

    private Preflight(String namespace) throws IOException {
        this.kernel = EnvironmentSnapshot.kernelRelease();
        this.sysctl = FastOpenSysctl.read();
        this.namespace = namespace;
        this.epoll = Epoll.isAvailable();
        this.epollWhyNot = epoll ? null : String.valueOf(Epoll.unavailabilityCause());
        this.cpus = allowedCpus();
        this.cookieFlushWhyNot = cookieFlushWhyNot();
        this.fastOpenConnectWhyNot = fastOpenConnectWhyNot();
        this.netemWhyNot = LoopbackDelay.whyUnavailable().orElse(null);

        String tfo = sysctl.clientEnabled() && sysctl.serverEnabled() ? "yes"
                : "no: net.ipv4.tcp_fastopen=" + sysctl.value() + " lacks " + (sysctl.clientEnabled() ? "" : "0x1 ")
                + (sysctl.serverEnabled() ? "" : "0x2 ") + "in this namespace";
        scenarios.put("cold", "yes");
        scenarios.put("keepalive", "yes");
        scenarios.put("tfo", tfo);
        scenarios.put("tfo-connect", !tfo.equals("yes") ? tfo
                : fastOpenConnectWhyNot == null ? "yes" : "no: " + fastOpenConnectWhyNot);
        scenarios.put("cookie-request", !tfo.equals("yes") ? tfo
                : cookieFlushWhyNot == null ? "yes" : "no: " + cookieFlushWhyNot);
        scenarios.put("transport native", "yes");
        scenarios.put("transport netty", epoll ? "yes" : "no: Netty epoll native unavailable (" + epollWhyNot + ")");
        scenarios.put("rtt > 0 (netem)", netemWhyNot == null ? "yes" : "no: " + netemWhyNot);
        scenarios.put("placement same-cpu", "yes");
        scenarios.put("placement cross-cpu", cpus.cardinality() >= 2 ? "yes"
                : "no: only CPU " + cpus + " allowed; use -p placement=same-cpu");
    }

    static Preflight check(String namespace) throws IOException {
        return new Preflight(namespace);
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
        row(out, "netem", netemWhyNot == null ? "yes: -p rtt=N delays lo by N/2 ms each way for the trial"
                : "no (" + netemWhyNot + "): -p rtt=N with N > 0 is refused");
        for (Placement p : Placement.values()) {
            try {
                row(out, "placement " + p.label(), p.plan(cpus).toString());
            } catch (RuntimeException e) {
                row(out, "placement " + p.label(), "impossible: " + e.getMessage());
            }
        }
        for (Map.Entry<String, String> s : scenarios.entrySet()) {
            row(out, "can run " + s.getKey(), s.getValue());
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
        out.printf("#   %-26s %s%n", name, value);
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

    /** The cookie-request benchmark deletes cache entries over netlink; that needs CAP_NET_ADMIN here. */
    private static String cookieFlushWhyNot() {
        try (TcpMetrics metrics = TcpMetrics.open()) {
            metrics.delete((Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) 254}));
            return null;
        } catch (ErrnoException e) {
            return "cannot flush the cookie cache (" + e.getMessage() + "): run in a private namespace or as root";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** TCP_FASTOPEN_CONNECT exists since Linux 4.11. */
    private static String fastOpenConnectWhyNot() {
        try {
            int fd = Syscalls.tcpSocket();
            try {
                Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN_CONNECT, 1);
                return null;
            } finally {
                Syscalls.closeQuietly(fd);
            }
        } catch (ErrnoException e) {
            return "kernel refuses TCP_FASTOPEN_CONNECT (" + e.getMessage() + "), needs Linux 4.11+";
        }
    }
}

package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import tfobench.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The private network namespace the tests and the benchmark jar run in. Whoever creates it (with
 * {@code unshare --net}, plus {@code --user --map-root-user} when not root) sets {@link Settings#NETNS} to
 * {@code private}; the process
 * inside then calls {@link #prepare()}: loopback up and {@code tcp_fastopen=3}. The host's settings are never
 * written: without the marker, {@link #prepare()} refuses.
 */
public final class PrivateNetns {
    /** The value the benchmark needs: client and server fast open. */
    public static final int TFO_CLIENT_AND_SERVER = FastOpenSysctl.CLIENT_ENABLE | FastOpenSysctl.SERVER_ENABLE;

    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    private static final int IFREQ_SIZE = 40;

    private static boolean prepared;

    private PrivateNetns() {
    }

    /**
     * True in the initial user namespace ({@code /proc/self/uid_map} maps every id to itself): there root has the
     * capabilities the kernel checks against the whole machine, such as CAP_NET_ADMIN for {@link TcpMetrics#delete}.
     * False inside a user namespace (a non-root run's {@code unshare --user --map-root-user}), where root is only
     * root of that namespace.
     */
    public static boolean inInitialUserNamespace() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map"), StandardCharsets.US_ASCII).trim();
            return map.matches("0\\s+0\\s+4294967295");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What the kernel says this process runs in, e.g. {@code private network namespace in a private user namespace
     * (uid 1001 outside is root inside; unshare --user --map-root-user --net)}.
     */
    public static String describe() {
        String net = isPrivate() ? "private network namespace" : "network namespace it was started in";
        if (inInitialUserNamespace()) {
            return net + " in the initial user namespace" + (isPrivate() ? " (unshare --net, as root)" : "");
        }
        String outside = "?";
        try {
            String[] map = Files.readString(Path.of("/proc/self/uid_map"), StandardCharsets.US_ASCII).trim()
                    .split("\\s+");
            outside = map.length >= 2 ? map[1] : "?";
        } catch (IOException e) {
            // keep "?"
        }
        return net + " in a private user namespace (uid " + outside + " outside is root inside"
                + (isPrivate() ? "; unshare --user --map-root-user --net" : "") + ")";
    }

    /** This process's effective user id, from {@code /proc/self/status} (-1 if unreadable). */
    public static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** True when this process was started inside a namespace made for it. */
    public static boolean isPrivate() {
        return Settings.inPrivateNamespace();
    }

    /**
     * Brings {@code lo} up and sets {@code tcp_fastopen=3} in this private namespace. Must run before Netty's
     * epoll classes load: Netty reads the sysctl once and then silently ignores the TCP_FASTOPEN option.
     */
    public static synchronized void prepare() throws IOException {
        if (!isPrivate()) {
            throw new IllegalStateException("refusing to change network settings outside a private namespace ("
                    + Settings.NETNS.environment() + " is not '" + Settings.NETNS_PRIVATE + "')");
        }
        if (prepared) {
            return;
        }
        setUpCurrentNamespace();
        prepared = true;
    }

    /**
     * The setup itself, for the calling thread's network namespace (sysctls under {@code /proc/sys/net} and the
     * {@code lo} ioctl act on the namespace of the thread that makes them): used for the run's namespace and for
     * each trial's fresh one ({@link NetworkNamespace}).
     */
    static void setUpCurrentNamespace() throws IOException {
        bringUp("lo");
        FastOpenSysctl.write(TFO_CLIENT_AND_SERVER);
        shortenTimeWaitReuse();
        ipv6WhyNot = routeIpv6PrefixToLoopback();
    }

    private static String ipv6WhyNot = "the private namespace is not prepared";

    /**
     * Why IPv6 loopback addresses other than ::1 (the benchmarks' fd74:666f:: servers and never-used destinations)
     * do not work in this namespace, or null when they do.
     */
    public static synchronized String ipv6WhyNot() {
        return ipv6WhyNot;
    }

    /**
     * Fails with one line when the family's benchmark addresses (127.0.0.N, or fd74:666f::N) do not exist here.
     */
    public static void requireLoopbackAddresses(tfobench.AddressFamily family) {
        if (family == tfobench.AddressFamily.IPV6 && ipv6WhyNot() != null) {
            throw new MissingCapabilityException("IPv6 needs the private namespace's local route for "
                    + tfobench.AddressFamily.IPV6_LOCAL_PREFIX + " on lo: " + ipv6WhyNot());
        }
    }

    /**
     * IPv6 has only ::1 on lo, where IPv4 has all of 127.0.0.0/8. A local route for a whole prefix on lo ("AnyIP")
     * makes every address in it local: connections to any of them arrive on lo. Binding one takes
     * {@code net.ipv6.ip_nonlocal_bind=1} as well (IPv6 binds only assigned addresses otherwise), set in this
     * namespace alone.
     */
    static String routeIpv6PrefixToLoopback() {
        if (!Files.exists(Path.of("/proc/net/if_inet6"))) {
            return "the kernel has no IPv6 (no /proc/net/if_inet6)";
        }
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv6/ip_nonlocal_bind"), "1", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "cannot set net.ipv6.ip_nonlocal_bind=1 in the namespace: " + e.getMessage();
        }
        List<String> command = List.of("ip", "-6", "route", "replace", "local", tfobench.AddressFamily.IPV6_LOCAL_PREFIX,
                "dev", "lo");
        try {
            Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!ip.waitFor(10, TimeUnit.SECONDS)) {
                ip.destroyForcibly();
                return String.join(" ", command) + " did not return within 10 s";
            }
            return ip.exitValue() == 0 ? null : String.join(" ", command) + " failed: " + output;
        } catch (IOException e) {
            return "no ip command to route " + tfobench.AddressFamily.IPV6_LOCAL_PREFIX + " to lo (apt-get install "
                    + "iproute2)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Benchmarks open tens of thousands of loopback connections a second and the client closes first, so its
     * ports sit in TIME_WAIT. By default the kernel lets {@code connect()} reuse such a port only a second later
     * ({@code tcp_tw_reuse=2}, {@code tcp_tw_reuse_delay=1000} ms): past ~28,000 connections a second every
     * connect searches the whole port range, which measured here as a p99 of 1.8 ms instead of 0.07 ms for the
     * same cold handshake. In the private namespace: reuse after 1 ms (kernels with tcp_tw_reuse_delay, 6.13+)
     * and the widest port range.
     */
    static void shortenTimeWaitReuse() throws IOException {
        Path delay = Path.of("/proc/sys/net/ipv4/tcp_tw_reuse_delay");
        if (Files.exists(delay)) {
            Files.writeString(delay, "1", StandardCharsets.US_ASCII);
        }
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"),
                "1024 65535", StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code /proc/sys/net/ipv4/NAME} in this private namespace (the namespace's own copy of a per-namespace
     * setting); refuses anywhere else, so the host's value is never changed.
     */
    public static void setIpv4Sysctl(String name, String value) throws IOException {
        if (!isPrivate()) {
            throw new IllegalStateException("refusing to set net.ipv4." + name + " outside a private namespace ("
                    + Settings.NETNS.environment() + " is not '" + Settings.NETNS_PRIVATE + "')");
        }
        Files.writeString(Path.of("/proc/sys/net/ipv4", name), value, StandardCharsets.US_ASCII);
    }

    /** Sets IFF_UP on an interface through {@code ioctl(SIOCSIFFLAGS)}. */
    static void bringUp(String interfaceName) throws ErrnoException {
        byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= 16) {
            throw new IllegalArgumentException("interface name too long: " + interfaceName);
        }
        int fd;
        try {
            fd = LibC.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new ErrnoException("socket", e.getErrorCode());
        }
        try {
            Memory ifreq = new Memory(IFREQ_SIZE);
            ifreq.clear();
            ifreq.write(0, name, 0, name.length);
            LibC.ioctl(fd, SIOCGIFFLAGS, ifreq);
            ifreq.setShort(16, (short) (ifreq.getShort(16) | IFF_UP));
            LibC.ioctl(fd, SIOCSIFFLAGS, ifreq);
        } catch (LastErrorException e) {
            throw new ErrnoException("ioctl SIOCSIFFLAGS " + interfaceName + " up", e.getErrorCode());
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }
}

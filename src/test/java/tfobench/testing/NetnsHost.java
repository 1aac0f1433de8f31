package tfobench.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second "host" for tests: a jar tool started in a network namespace of its own ({@code unshare --net}, which
 * root, or root of the test JVM's user namespace, may do), holding at first only {@code lo}. It waits on its
 * standard input until {@link #join} has given it one end of a veth pair and {@link #go} is called, then
 * configures it ({@code lo} and {@code tfo0} up, its address, {@code tcp_fastopen=3}) and runs the tool. When
 * the process ends its namespace goes, and the veth pair with it: nothing is left to clean up in the test's own
 * namespace.
 */
public final class NetnsHost implements AutoCloseable {
    /** The interface name on both ends (each end lives in its own namespace). */
    public static final String INTERFACE = "tfo0";
    /** What the host's shell prints once it runs inside its new network namespace. */
    private static final String IN_NAMESPACE = "netns-host: in its namespace";

    private final JarTool tool;

    private NetnsHost(JarTool tool) {
        this.tool = tool;
    }

    /**
     * @param cidr  this host's address on the link, e.g. {@code 10.77.0.1/24} or {@code fd74:666f:77::1/64}
     * @param then  shell commands run after the setup and before the tool (may be empty)
     */
    public static NetnsHost start(String cidr, String then, List<String> jvmArgs, Path workDir, String... toolArgs)
            throws IOException {
        // The shell says it is running before anything else: only then has unshare made the namespace, and a veth
        // end moved to its pid before that lands in the test's own namespace (seen once in CI: "Cannot find device").
        // nodad: an IPv6 address is usable at once, not after duplicate address detection (about a second later)
        String setup = "echo " + IN_NAMESPACE + " && read go && ip link set lo up && ip addr add " + cidr + " dev "
                + INTERFACE
                + (cidr.contains(":") ? " nodad" : "")
                + " && ip link set " + INTERFACE + " up && echo 3 > /proc/sys/net/ipv4/tcp_fastopen && " + then
                + " exec \"$@\"";
        JarTool tool = JarTool.start(List.of("unshare", "--net", "sh", "-c", setup, "sh"), jvmArgs, workDir, toolArgs);
        try {
            tool.awaitLine(IN_NAMESPACE);
        } catch (IOException | AssertionError e) {
            try {
                tool.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        return new NetnsHost(tool);
    }

    /** Joins the two hosts with a veth pair, one end in each namespace; each continues on {@link #go()}. */
    public static void join(NetnsHost a, NetnsHost b) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "link", "add", INTERFACE, "netns",
                Long.toString(a.tool.pid()), "type", "veth", "peer", "name", INTERFACE, "netns",
                Long.toString(b.tool.pid())));
        Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + output + "): needs iproute2 and veth");
        }
    }

    /** Lets the host configure its end of the link and run its tool. */
    public void go() throws IOException {
        tool.send("go");
    }

    public JarTool tool() {
        return tool;
    }

    @Override
    public void close() throws InterruptedException {
        tool.close();
    }
}

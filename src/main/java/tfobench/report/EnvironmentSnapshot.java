package tfobench.report;

import tfobench.JsonFile;
import tfobench.Settings;
import tfobench.linux.CpuAffinity;
import tfobench.linux.ErrnoException;
import tfobench.linux.FastOpenSysctl;
import tfobench.linux.ProcFs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a result depends on besides the code: kernel, the TCP sysctls of the namespace it ran in (every
 * {@code tcp_fastopen*} one but the key, which is a secret and is never read), CPU, JVM, placement, namespace.
 * Written as {@code environment.json} into every run folder.
 */
public final class EnvironmentSnapshot {
    /** Never read, printed or stored: the server's cookie secret. */
    static final String SECRET_SYSCTL = "tcp_fastopen_key";
    private static final Path IPV4 = Path.of("/proc/sys/net/ipv4");
    private static final List<String> OTHER_SYSCTLS = List.of("tcp_tw_reuse", "tcp_tw_reuse_delay", "tcp_max_tw_buckets", "tcp_timestamps", "tcp_syn_retries",
            "ip_local_port_range", "tcp_fin_timeout", "tcp_congestion_control");

    private EnvironmentSnapshot() {
    }

    /**
     * @param namespace  how the run is isolated (e.g. "private (unshare --user --map-root-user --net)")
     * @param facts      a record of what the caller knows (placement plans, JMH arguments, network...): its fields
     *                   are added as is, a field named like one of the machine's facts (e.g. {@code network})
     *                   replaces it in place
     */
    public static Map<String, Object> capture(String namespace, Object facts) throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("tool", "tfo-bench");
        env.put("toolVersion", toolVersion());
        env.put("capturedAt", Instant.now().toString());
        env.put("kernel", kernel());
        env.put("namespace", namespace);
        env.put("sysctls", sysctls());
        env.put("cpu", cpu());
        env.put("jvm", jvm());
        env.put("network", Map.of("path", "loopback", "rttEmulation", "none"));
        JsonFile.toObject(facts).entrySet().forEach(e -> env.put(e.getKey(), e.getValue()));
        env.put("settings", Settings.runSettings());
        return env;
    }

    public static void write(Path file, Map<String, Object> env) throws IOException {
        JsonFile.write(file, env);
    }

    /** Written into the jar by the build (pom.xml): the commit it was built from and whether the tree was dirty. */
    static final String GIT_PROPERTIES = "/tfobench-git.properties";

    /**
     * The commit the running code was built from ({@code gitCommit}) and whether {@code src/main} or {@code pom.xml}
     * had uncommitted changes then ({@code gitDirty}: {@code true}, {@code false}, or {@code unknown} when built
     * outside a git checkout or without git).
     */
    public static Map<String, Object> build() {
        Map<String, Object> build = new LinkedHashMap<>();
        java.util.Properties git = new java.util.Properties();
        try (java.io.InputStream in = EnvironmentSnapshot.class.getResourceAsStream(GIT_PROPERTIES)) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException e) {
            // leave them unknown
        }
        build.put("gitCommit", git.getProperty("git.commit", "unknown"));
        String dirty = git.getProperty("git.dirty", "unknown");
        build.put("gitDirty", dirty.equals("true") ? Boolean.TRUE : dirty.equals("false") ? Boolean.FALSE : dirty);
        return build;
    }

    /** Netty's version, from the version files of its jars (merged into the shaded jar), or {@code unknown}. */
    public static String nettyVersion() {
        Map<String, io.netty.util.Version> versions = io.netty.util.Version.identify();
        for (String artifact : List.of("netty-transport-classes-epoll", "netty-transport", "netty-common")) {
            io.netty.util.Version v = versions.get(artifact);
            if (v != null) {
                return v.artifactVersion();
            }
        }
        return versions.values().stream().map(io.netty.util.Version::artifactVersion).findFirst().orElse("unknown");
    }

    static String toolVersion() {
        String version = EnvironmentSnapshot.class.getPackage().getImplementationVersion();
        return version == null ? "dev (not from the shaded jar)" : version;
    }

    static Map<String, Object> kernel() {
        Map<String, Object> kernel = new LinkedHashMap<>();
        kernel.put("release", readOr("/proc/sys/kernel/osrelease", System.getProperty("os.version")));
        kernel.put("version", readOr("/proc/sys/kernel/version", "unknown"));
        kernel.put("arch", System.getProperty("os.arch"));
        return kernel;
    }

    /** The kernel release, for folder names. */
    public static String kernelRelease() {
        return readOr("/proc/sys/kernel/osrelease", System.getProperty("os.version"));
    }

    static Map<String, Object> sysctls() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<Path> fastOpen;
        try (Stream<Path> files = Files.list(IPV4)) {
            fastOpen = files.filter(p -> p.getFileName().toString().startsWith("tcp_fastopen"))
                    .filter(p -> !p.getFileName().toString().equals(SECRET_SYSCTL))
                    .sorted().collect(Collectors.toList());
        }
        for (Path p : fastOpen) {
            values.put("net.ipv4." + p.getFileName(), readOr(p.toString(), "unreadable"));
        }
        FastOpenSysctl sysctl = FastOpenSysctl.read();
        values.put("net.ipv4.tcp_fastopen (decoded)", sysctl.describe());
        for (String name : OTHER_SYSCTLS) {
            values.put("net.ipv4." + name, readOr(IPV4.resolve(name).toString(), "absent"));
        }
        return values;
    }

    static Map<String, Object> cpu() {
        Map<String, Object> cpu = new LinkedHashMap<>();
        String model = "unknown";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException ignored) {
            // not Linux-like; keep "unknown"
        }
        cpu.put("model", model);
        cpu.put("online", Runtime.getRuntime().availableProcessors());
        try {
            cpu.put("allowed", CpuAffinity.currentThreadAffinity().toString());
        } catch (ErrnoException e) {
            cpu.put("allowed", "unknown: " + e.getMessage());
        }
        return cpu;
    }

    static Map<String, Object> jvm() {
        Map<String, Object> jvm = new LinkedHashMap<>();
        for (String key : List.of("java.version", "java.vendor", "java.vm.name", "java.vm.version",
                "java.home")) {
            jvm.put(key, System.getProperty(key));
        }
        jvm.put("inputArguments", new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        jvm.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        return jvm;
    }

    static String readOr(String path, String fallback) {
        try {
            return ProcFs.readSysctl(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}

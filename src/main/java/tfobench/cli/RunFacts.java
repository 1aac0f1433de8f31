package tfobench.cli;

import tfobench.Settings;
import tfobench.bench.Placement;
import tfobench.report.EnvironmentSnapshot;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a suite run's {@code environment.json} records besides the machine itself ({@code EnvironmentSnapshot}):
 * the JMH arguments, the placement plans, what the preflight found each scenario able to do, the network path and
 * emulated RTTs, whether the run was emulated, the kernel's fast open blackhole detection when it started, and which
 * jar measured. Field order is the file's key order.
 */
record RunFacts(List<String> jmhArguments, String runFolder, Placements placements, Map<String, String> scenarios,
                String nettyEpoll, String jmhVersion, String nettyVersion, Network network, Object emulation,
                Map<String, Object> fastOpenBlackhole, Provenance provenance, String linuxLayer,
                HarnessSwitches harnessSwitches) {

    /** Parts of the harness changed for this run ({@code Settings.HARNESS}); absent when none. */
    record HarnessSwitches(List<String> switches, String meaning) {
    }

    /** The CPU plan of every placement on this machine's allowed CPUs, or why it is impossible. */
    record Placements(String parameter, Map<String, String> plans) {
    }

    /**
     * The path to the server: loopback with the requested RTTs and whether netem works here, or remote server(s)
     * ({@code rttMillisRequested} and {@code netem} then left out, and {@code link} says what lies between the hosts,
     * from {@link Settings#LINK}).
     */
    record Network(String path, List<Integer> rttMillisRequested, String rttEmulation, String netem, String link) {
    }

    /** A run inside an emulator ({@link Settings#EMULATION}): its timings are not the hardware's. */
    record Emulation(boolean emulated, String how, String meaning) {
    }

    /**
     * Which jar measured: the commit it was built from and whether {@code src/main} or {@code pom.xml} had changes
     * then ({@code gitDirty}: true, false or {@code unknown}), its path and SHA-256, and where it came from
     * ({@link Settings#SOURCE}).
     */
    record Provenance(String gitCommit, Object gitDirty, String jar, String jarSha256, String source) {
    }

    static RunFacts of(List<String> jmhArguments, Path runDir, Preflight preflight, List<String> remoteHosts,
                       List<Integer> rtts, List<String> harness) {
        return new RunFacts(jmhArguments, runDir.toString(), placementPlans(preflight), preflight.scenarios,
                preflight.epoll ? "available" : "unavailable: " + preflight.epollWhyNot,
                org.openjdk.jmh.util.Version.getPlainVersion(), EnvironmentSnapshot.nettyVersion(),
                networkPath(remoteHosts, rtts, preflight), emulationNow(), preflight.blackhole.asMap(),
                jarProvenance(), currentLinuxLayer(),
                harness.isEmpty() ? null : new HarnessSwitches(harness, "parts of the harness changed to measure "
                        + "what they cost (docs/COST.md); these results are not the suite's scenarios as documented"));
    }

    /** The binding of this JVM's socket calls (the forks choose the same), and why not FFM when it is JNA. */
    private static String currentLinuxLayer() {
        String whyNotFfm = tfobench.linux.LinuxLayer.whyNotFfm();
        String name = tfobench.linux.LinuxLayer.name();
        return name + (name.equals("jna") && whyNotFfm != null ? " (FFM: " + whyNotFfm + ")" : "");
    }

    private static Placements placementPlans(Preflight preflight) {
        Map<String, String> plans = new LinkedHashMap<>();
        for (Placement p : Placement.values()) {
            try {
                plans.put(p.label(), p.plan(preflight.cpus).toString());
            } catch (RuntimeException e) {
                plans.put(p.label(), "impossible: " + e.getMessage());
            }
        }
        return new Placements("placement (see each result's params)", plans);
    }

    private static Network networkPath(List<String> remoteHosts, List<Integer> rtts, Preflight preflight) {
        if (!remoteHosts.isEmpty()) {
            return new Network("to remote server(s) " + String.join(", ", remoteHosts)
                    + " (see each result's host parameter)", null, "none", null, Settings.LINK.value().isBlank()
                    ? "not described (set " + Settings.LINK.environment() + " to describe it)"
                    : Settings.LINK.value());
        }
        return new Network("loopback", rtts, rtts.stream().anyMatch(r -> r > 0)
                ? "netem on lo: delay rtt/2 per direction, applied per trial (each result's params.rtt)"
                : "none (plain loopback)",
                preflight.netemWhyNot == null ? "available" : "unavailable: " + preflight.netemWhyNot, null);
    }

    private static Object emulationNow() {
        String how = Settings.EMULATION.value();
        return how.isEmpty() ? "none: timings are this machine's"
                : new Emulation(true, how, "function and millisecond (RTT-scale) effects only; microsecond timings "
                        + "under emulation are not the hardware's");
    }

    private static Provenance jarProvenance() {
        String source = Settings.SOURCE.value();
        Map<String, Object> git = EnvironmentSnapshot.build();
        String commit = String.valueOf(git.get("gitCommit"));
        Object dirty = git.get("gitDirty");
        try {
            Path jar = Path.of(RunFacts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new Provenance(commit, dirty, jar.toString(), Files.isRegularFile(jar) ? sha256(jar) : null,
                    source.isEmpty() ? null : source);
        } catch (Exception e) {
            return new Provenance(commit, dirty, "unknown: " + e, null, source.isEmpty() ? null : source);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

package tfobench.cli;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import org.openjdk.jmh.results.RunResult;
import tfobench.JsonFile;
import tfobench.Settings;
import tfobench.bench.Placement;
import tfobench.calibration.CCalibration;
import tfobench.calibration.CFloor;
import tfobench.calibration.CPeer;
import tfobench.calibration.JavaToCRatios;
import tfobench.report.CalibrationSection;
import tfobench.report.RunReader;
import tfobench.calibration.JavaToFloor;
import tfobench.linux.LinuxLayer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * After the JMH run, in the same namespace: the C peer measures the same scenarios with the same placements, then the
 * minimal C floor its three, and {@code c-calibration.json} in the run folder gets both sets of figures, the Java/C
 * ratios and the Java/floor ratios (latency and CPU per operation). Skipped (one line) when
 * gcc is missing, with {@code -Dtfobench.calibration=false}, or when no network benchmark ran.
 */
final class CalibrationStep {
    static final String FILE = "c-calibration.json";

    private CalibrationStep() {
    }

    /** {@code c-calibration.json}. */
    record Calibration(String what, String compiler, List<String> flags, String sourceSha256, double warmupSeconds,
                       double measureSeconds, Map<String, Map<String, JsonObject>> c, List<JavaToCRatios.Row> javaOverC,
                       Map<String, Double> tfoSavingDeviationFromC, Targets targets, String jvm, String linuxLayer,
                       String floorWhat, List<String> floorFlags, String floorSourceSha256,
                       Map<String, Map<String, JsonObject>> floor, List<JavaToFloor.Row> javaOverFloor,
                       FloorTargets floorTargets) {
    }

    /** The Java/floor ratios the native client (by its linux layer) and Netty should stay under. */
    record FloorTargets(@SerializedName("native") double nativeTarget, @SerializedName("netty") double nettyTarget) {
    }

    /** The Java/C ratios the native and Netty clients should stay under, and the TFO saving's tolerance. */
    record Targets(@SerializedName("native") double nativeTarget, @SerializedName("netty") double nettyTarget,
                   double nativeTfoSavingWithin) {
    }

    /** The run's medians over all operations, read back from its folder (nothing when it cannot be read). */
    private static List<JavaToCRatios.JavaMedian> javaMedians(Path runDir) {
        try {
            return CalibrationSection.javaMedians(RunReader.read(runDir));
        } catch (IOException e) {
            return List.of();
        }
    }

    static void run(Collection<RunResult> results, Path runDir, BitSet cpus, PrintStream out, PrintStream err) {
        if (!Boolean.parseBoolean(Settings.CALIBRATION.value())) {
            out.println("# C calibration: skipped (-Dtfobench.calibration=false)");
            return;
        }
        TreeSet<String> placements = new TreeSet<>();
        boolean network = false;
        for (RunResult r : results) {
            String placement = r.getParams().getParam("placement");
            if (placement != null && (r.getParams().getBenchmark().endsWith(".firstRequest")
                    || r.getParams().getBenchmark().endsWith(".keepAliveRequest"))) {
                network = true;
                if (JavaToCRatios.likeCPeers(r.getParams()::getParam)) {
                    placements.add(placement);
                }
            }
        }
        if (placements.isEmpty()) {
            if (network) {
                out.println("# C calibration: skipped, the C peers measure " + JavaToCRatios.cSetting()
                        + " and no result of this run ran there");
            }
            return;
        }
        Optional<String> whyNot = CPeer.whyNot();
        if (whyNot.isPresent()) {
            out.println("# C calibration: skipped, " + whyNot.get());
            return;
        }
        double seconds = Double.parseDouble(Settings.CALIBRATION_SECONDS.value());
        Duration measure = Duration.ofMillis((long) (seconds * 1000));
        Duration warmup = Duration.ofMillis(Math.min(1000, measure.toMillis()));
        out.println("# C calibration: the Java native client's system calls in C, same namespace, placements "
                + placements + ", " + seconds + " s per scenario...");
        out.flush();
        try {
            Path work = Files.createTempDirectory("tfobench-calib");
            CPeer peer = CPeer.build(work);
            List<Placement> list = placements.stream().map(Placement::fromLabel).toList();
            Map<String, Map<String, JsonObject>> c = new CCalibration(peer, warmup, measure).run(list, cpus);
            CPeer floorPeer = CPeer.buildFloor(work);
            Map<String, Map<String, JsonObject>> floor = new CFloor(floorPeer, warmup, measure).run(list, cpus);
            String layer = LinuxLayer.name();
            List<JavaToFloor.Row> floorRows = JavaToFloor.rows(results, floor, JavaToFloor.nativeTarget(layer));
            List<JavaToCRatios.Row> rows = JavaToCRatios.rows(javaMedians(runDir), c);
            Map<String, Double> saving = JavaToCRatios.savingDeviation(rows);

            JsonFile.write(runDir.resolve(FILE), new Calibration("C peer (calib.c in this folder) making the Java "
                    + "native client's system calls; medians compared with this run's medians over all operations "
                    + "(.hlog), same namespace and placements", peer.compiler(), CPeer.FLAGS, peer.sourceSha256(), warmup.toMillis() / 1000.0,
                    seconds, c, rows, saving, new Targets(JavaToCRatios.NATIVE_TARGET, JavaToCRatios.NETTY_TARGET,
                    JavaToCRatios.SAVING_TOLERANCE),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), layer,
                    "minimal C floor (floor.c in this folder): only the seed's calls, one-thread accept loop server; "
                    + "Java p50 (JMH's median) and Java CPU per operation (cpu.client + cpu.server) against the "
                    + "floor's, same namespace and placements", CPeer.FLOOR_FLAGS, floorPeer.sourceSha256(), floor,
                    floorRows, new FloorTargets(JavaToFloor.nativeTarget(layer), JavaToFloor.NETTY_TARGET)));
            for (CPeer p : List.of(peer, floorPeer)) {
                Files.copy(p.source(), runDir.resolve(p.source().getFileName()));
                Files.deleteIfExists(p.binary());
                Files.deleteIfExists(p.source());
            }
            Files.deleteIfExists(work);
            out.print(JavaToCRatios.table(rows).lines().map(l -> "#   " + l + "\n").reduce("", String::concat));
            out.println("# Java against the minimal C floor (floor.c, the seed's calls only; " + layer + "):");
            out.print(JavaToFloor.table(floorRows).lines().map(l -> "#   " + l + "\n").reduce("", String::concat));
            JavaToCRatios.savings(rows).forEach(s -> out.println("#   TFO saving " + s.describe()));
        } catch (IOException | RuntimeException e) {
            err.println("# C calibration failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("# C calibration interrupted");
        }
    }
}

package tfobench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.SyntheticRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel matrix reads run folders (medians over all operations) and states fast open's saving in RTTs. */
class KernelMatrixTest {
    @Test
    void savingIsStatedInRttsAndTheOneRttPhysicsIsChecked(@TempDir Path dir) throws Exception {
        Path guest = folder(dir, "2026-01-01T000000Z-6.12.1-amd64-emulated-tcg", "6.12.1-amd64",
                "{\"emulated\": true, \"how\": \"qemu TCG (no KVM)\"}",
                result("cold", 20, 42300) + "," + result("tfo", 20, 20900));
        Files.writeString(guest.resolve(KernelMatrix.CHECK_JSON), "{\"passed\": 12, \"failed\": 0, "
                + "\"roundTripSaved\": {\"native\": {\"rttMillis\": 20, \"savingRtts\": 1.11}}}");
        KernelMatrix matrix = new KernelMatrix().add(guest);

        List<KernelMatrix.Saving> savings = matrix.savings();
        assertEquals(1, savings.size());
        KernelMatrix.Saving s = savings.get(0);
        assertEquals(21400, s.savedMicros(), 21400 * 0.001); // HdrHistogram keeps 3 significant digits
        assertEquals(1.07, s.savedRtts(), 0.002);
        assertTrue(s.withinOneRtt());
        assertTrue(matrix.physicsHolds());
        String md = matrix.markdown();
        assertTrue(md.contains("| 6.12.1-amd64 | emulated (qemu TCG (no KVM)) | native | same-cpu | 20 ms | tfo | "
                + "42.30 ms | 20.91 ms | 21.40 ms (51%) | 1.07 | 1.00 |"), md);
        assertTrue(md.contains("12 passed, 0 failed; native at 20 ms: 1.11 RTT saved"), md);
    }

    @Test
    void aSavingFarFromOneRttIsMarkedAndLoopbackRowsHaveNoRtt(@TempDir Path dir) throws Exception {
        Path host = folder(dir, "2026-01-01T000000Z-6.18-host", "6.18", "\"none: timings are this machine's\"",
                result("cold", 10, 30000) + "," + result("tfo", 10, 28000) + "," + result("cold", 0, 25.9) + ","
                        + result("tfo", 0, 22.5));
        KernelMatrix matrix = new KernelMatrix().add(host);
        assertFalse(matrix.physicsHolds());
        String md = matrix.markdown();
        assertTrue(md.contains("| 0.20 **outside 0.8-1.2** |"), md);
        assertTrue(md.contains("| 0 (loopback) | tfo | 25.9 us | 22.5 us | 3.4 us (13%) | n/a |"), md);
        assertTrue(md.contains("| host (measured) |"), md);
        assertTrue(md.contains("| not run |"), md);
    }

    @Test
    void theSlopeOverSeveralRttsSeparatesTheRoundTripFromAConstantCost(@TempDir Path dir) throws Exception {
        // cold = 2 RTT + 9 ms, tfo = 1 RTT + 4 ms: 5 ms saved whatever the RTT, on top of one RTT
        Path guest = folder(dir, "g", "6.1.0-1-amd64", "{\"emulated\": true, \"how\": \"qemu TCG\"}",
                result("cold", 10, 29000) + "," + result("tfo", 10, 14000) + "," + result("cold", 50, 109000)
                        + "," + result("tfo", 50, 54000));
        KernelMatrix matrix = new KernelMatrix().add(guest);
        assertFalse(matrix.savings().get(0).withinOneRtt(), "1.5 RTT at 10 ms on its own");
        KernelMatrix.Fit fit = matrix.fits().get(0);
        assertEquals(1.0, fit.savedRttsPerRtt(), 0.002);
        assertEquals(5.0, fit.constantMillis(), 0.05);
        assertTrue(matrix.physicsHolds());
        assertTrue(matrix.markdown().contains("| 6.1.0-1-amd64 | native | same-cpu | tfo | 10, 50 | 1.00 | 5.01 ms |"),
                matrix.markdown());
    }

    @Test
    void resultsFromBeforeTheRttParameterCountAsLoopback(@TempDir Path dir) throws Exception {
        Path folder = SyntheticRun.in(dir.resolve("old"))
                .result(FIRST, Map.of("handshake", "cold", "transport", "native", "placement", "same-cpu"),
                        SyntheticRun.forks(1, 3, 30.0))
                .result(FIRST, Map.of("handshake", "tfo", "transport", "native", "placement", "same-cpu"),
                        SyntheticRun.forks(1, 3, 20.0)).write();
        KernelMatrix.Saving s = new KernelMatrix().add(folder).savings().get(0);
        assertEquals(0, s.rttMillis());
        assertTrue(Double.isNaN(s.savedRtts()));
    }

    @Test
    void behavioursAreATableOfKernelsWithEveryCellsEvidenceBelow(@TempDir Path dir) throws Exception {
        Path old = folder(dir, "a", "5.10.0-32-amd64", "{\"emulated\": true, \"how\": \"qemu TCG\"}",
                result("cold", 10, 29000) + "," + result("tfo", 10, 14000));
        Files.writeString(old.resolve(KernelMatrix.CHECK_JSON), check(16, 0, 2,
                behaviour("tw-reuse-delay", "tcp_tw_reuse_delay", "not on this kernel", "no sysctl; reuse after 712 ms",
                        "no tcp_tw_reuse_delay (6.13+)"),
                behaviour("blackhole-detection", "blackhole detection, caused", "pass", "fired after 7.1 s",
                        "TCPFastOpenBlackhole +1")));
        Path host = folder(dir, "b", "6.18.44", "\"none\"", result("cold", 0, 25) + "," + result("tfo", 0, 21));
        Files.writeString(host.resolve(KernelMatrix.CHECK_JSON), check(17, 1, 0,
                behaviour("tw-reuse-delay", "tcp_tw_reuse_delay", "pass", "set 1500 ms: reused after 1524 ms",
                        "refused 106 times before"),
                behaviour("blackhole-detection", "blackhole detection, caused", "fail", "did not fire",
                        "TCPFastOpenBlackhole +0")));
        // the blackholed run beside the 5.10 one: its check ran no behaviour, so it is a row above and no column
        Path blackholed = folder(dir, "c", "5.10.0-32-amd64", "{\"emulated\": true, \"how\": \"qemu TCG\"}",
                result("cold", 10, 29000));
        Files.writeString(blackholed.resolve(KernelMatrix.CHECK_JSON), check(2, 11, 0,
                behaviour("tw-reuse-delay", "tcp_tw_reuse_delay", "not run", "not run", "fast open is blackholed"),
                behaviour("blackhole-detection", "blackhole detection, caused", "not run", "not run",
                        "fast open is blackholed")));
        KernelMatrix matrix = new KernelMatrix().add(old).add(blackholed).add(host);

        String md = matrix.markdown();
        assertTrue(md.contains("| behaviour | 5.10.0-32-amd64 | 6.18.44 |\n|---|---|---|\n"), md);
        assertTrue(md.contains("| 2 passed, 11 failed |"), md);
        assertFalse(md.contains("not run: not run"), md);
        assertTrue(md.contains("| tcp_tw_reuse_delay | not on this kernel: no sysctl; reuse after 712 ms | PASS: set "
                + "1500 ms: reused after 1524 ms |"), md);
        assertTrue(md.contains("| blackhole detection, caused | PASS: fired after 7.1 s | **FAIL**: did not fire |"),
                md);
        assertTrue(md.contains("- 5.10.0-32-amd64: not on this kernel: no sysctl; reuse after 712 ms. no "
                + "tcp_tw_reuse_delay (6.13+)"), md);
        assertTrue(md.contains("| 16 passed, 0 failed, 2 not on this kernel |"), md);
        assertTrue(matrix.behaviourFailed());
    }

    @Test
    void aRunThatStartedBlackholedSaysSoAndHasNoFastOpenNumbers(@TempDir Path dir) throws Exception {
        Path folder = folder(dir, "2026-01-01T000000Z-6.12.1-amd64-emulated-tcg-fastopen-blackholed", "6.12.1-amd64",
                "{}", result("cold", 10, 29000));
        Files.writeString(folder.resolve(RunFolder.ENVIRONMENT_JSON), "{\"kernel\": {\"release\": \"6.12.1-amd64\"}, "
                + "\"emulation\": {\"emulated\": true, \"how\": \"qemu TCG\"}, \"fastOpenBlackhole\": "
                + "{\"timeoutSeconds\": 3600, \"detections\": 1, \"state\": \"active\", \"evidence\": \"...\"}}");
        KernelMatrix matrix = new KernelMatrix().add(folder);

        String md = matrix.markdown();
        assertTrue(md.contains("| **ACTIVE** (timeout 3600, 1 detection(s)) |"), md);
        assertTrue(md.contains("No fast open numbers from `2026-01-01T000000Z-6.12.1-amd64-emulated-tcg-fastopen-"
                + "blackholed`: when it ran, the kernel's blackhole detection had disabled fast open"), md);
        assertTrue(matrix.savings().isEmpty());
    }

    @Test
    void aCheckThatFittedTwoRttsGivesItsSlopeAsThePerRttSavingNotAsTheSavingAtOneRtt(@TempDir Path dir)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve("check"));
        Files.writeString(folder.resolve(KernelMatrix.CHECK_JSON), "{\"kernel\": \"6.12.1-amd64\", \"passed\": 30, "
                + "\"failed\": 0, \"roundTripSaved\": {\"native\": {\"rtt50\": {\"savingRtts\": 1.19}, "
                + "\"rtt100\": {\"savingRtts\": 1.1}, \"rttMillis\": 50, \"savingRtts\": 1.01, "
                + "\"constantMillis\": 9.0}}}");

        String md = new KernelMatrix().add(folder).markdown();
        assertTrue(md.contains("| 30 passed, 0 failed; native: 1.01 RTT saved per RTT (fit over 50 and 100 ms) |"),
                md);
    }

    @Test
    void aCheckOnlyFolderIsARowWithItsBehavioursAndNoNumbers(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("2026-01-01T000000Z-7.2.12+deb14-amd64-check"));
        Files.writeString(folder.resolve(KernelMatrix.CHECK_JSON), "{\"kernel\": \"7.2.12+deb14-amd64\", "
                + "\"emulation\": \"qemu TCG\", \"passed\": 19, \"failed\": 0, \"notOnThisKernel\": 0, "
                + "\"checks\": [{\"transport\": \"kernel\", \"check\": \"fast-open-not-blackholed\", "
                + "\"passed\": true, \"status\": \"pass\", \"evidence\": \"...\"}, "
                + behaviour("tfo-child-flag", "TCPI_OPT_TFO_CHILD", "pass", "on the fast open child only", "0xa7")
                + "]}");
        KernelMatrix matrix = new KernelMatrix().add(folder);

        String md = matrix.markdown();
        assertTrue(md.contains("| `2026-01-01T000000Z-7.2.12+deb14-amd64-check` | 7.2.12+deb14-amd64 | emulated "
                + "(qemu TCG) | 19 passed, 0 failed | not active (check only) | ? |"), md);
        assertTrue(md.contains("| TCPI_OPT_TFO_CHILD | PASS: on the fast open child only |"), md);
        assertTrue(matrix.savings().isEmpty());
    }

    private static String check(int passed, int failed, int notOnThisKernel, String... behaviours) {
        return "{\"passed\": " + passed + ", \"failed\": " + failed + ", \"notOnThisKernel\": " + notOnThisKernel
                + ", \"checks\": [{\"transport\": \"native\", \"check\": \"cold-sends-no-syn-data\", \"passed\": "
                + "true, \"status\": \"pass\", \"evidence\": \"...\"}, " + String.join(", ", behaviours) + "]}";
    }

    private static String behaviour(String check, String row, String status, String observed, String evidence) {
        return "{\"transport\": \"kernel\", \"check\": \"" + check + "\", \"passed\": " + status.equals("pass")
                + ", \"status\": \"" + status + "\", \"behaviour\": \"" + row + "\", \"observed\": \"" + observed
                + "\", \"evidence\": \"" + evidence + "\"}";
    }

    @Test
    void mediansComeFromEveryOperationNotFromJmhsSamples(@TempDir Path dir) throws Exception {
        // SyntheticRun gives JMH's sampled p50 2% above the true median, as the two windows differ in the real runs.
        Path folder = folder(dir, "g", "6.1.0-1-amd64", "{\"emulated\": true, \"how\": \"qemu TCG\"}",
                result("cold", 10, 24969) + "," + result("tfo", 10, 13476));
        KernelMatrix.Saving s = new KernelMatrix().add(folder).savings().get(0);
        assertEquals(24969, s.coldMedianMicros(), 24969 * 0.001);
        assertEquals(13476, s.fastMedianMicros(), 13476 * 0.001);
    }

    private static final String FIRST = "tfobench.bench.FirstRequestBenchmark.firstRequest";

    /** A run folder whose results are {@code handshake|rtt|median} entries (see {@link #result}). */
    private static Path folder(Path root, String name, String kernel, String emulation, String results)
            throws Exception {
        SyntheticRun run = SyntheticRun.in(root.resolve(name));
        for (String r : results.split(",")) {
            String[] f = r.split("\\|");
            run.result(FIRST, Map.of("allowFallback", "false", "handshake", f[0], "placement", "same-cpu", "rtt", f[1],
                    "transport", "native"), SyntheticRun.forks(1, 3, Double.parseDouble(f[2])));
        }
        Path folder = run.write();
        Files.writeString(folder.resolve(RunFolder.ENVIRONMENT_JSON), "{\"kernel\": {\"release\": \"" + kernel
                + "\"}, \"emulation\": " + emulation + ", \"provenance\": {\"jarSha256\": \"0123456789abcdef\"}}");
        return folder;
    }

    private static String result(String handshake, int rtt, double medianMicros) {
        return handshake + "|" + rtt + "|" + medianMicros;
    }
}

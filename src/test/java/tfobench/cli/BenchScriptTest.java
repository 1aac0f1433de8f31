package tfobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.JarTool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code scripts/bench.sh} relies on: the launcher names the run folder in the file the script passes, and
 * {@code report} turns a freshly measured folder into summary.md and plots.
 */
class BenchScriptTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void launcherNamesItsRunFolderInTheHandOffFileAndReportCompletesIt(@TempDir Path dir) throws Exception {
        Path handOff = dir.resolve("run-dir");
        try (JarTool run = JarTool.start(List.of(), List.of("-Dtfobench.results=" + dir.resolve("runs"),
                        "-Dtfobench.runDirFile=" + handOff), dir, "FirstRequest", "-p", "transport=native", "-p",
                "handshake=tfo", "-p", "placement=same-cpu", "-f", "1", "-wi", "0", "-i", "3", "-r", "200ms")) {
            assertEquals(0, run.awaitExit(), String.join("\n", run.lines()));
        }
        Path folder = Path.of(Files.readString(handOff, StandardCharsets.UTF_8).trim());
        assertTrue(folder.isAbsolute() && folder.startsWith(dir.resolve("runs")), folder.toString());

        ToolRun report = ToolRun.of("report", folder.toString());

        assertEquals(0, report.status(), report.err());
        String summary = Files.readString(folder.resolve("summary.md"));
        assertTrue(summary.contains("family=ipv4 handshake=tfo host=loopback placement=same-cpu requestBytes=79 rtt=0 "
                + "transport=native |"), summary);
        assertTrue(summary.matches("(?s).*\\| 1 \\| [0-9,]+ \\| ok \\| hlog \\|.*"),
                "TFO confirmed, retransmissions counted, latency from the .hlog:\n" + summary);
        assertTrue(Files.size(folder.resolve("latency-spectrum-native-same-cpu.png")) > 10_000);
        assertTrue(Files.size(folder.resolve("medians.png")) > 10_000);
    }

    @Test
    void benchScriptExplainsItself() throws Exception {
        Process p = new ProcessBuilder("bash", "scripts/bench.sh", "--help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("usage: scripts/bench.sh [--label NAME] [--results DIR] [JMH options...]"), out);
    }
}

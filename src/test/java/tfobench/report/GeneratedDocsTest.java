package tfobench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.testing.SyntheticRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No figure about a committed run can drift from its folder: the repository's documents and committed summaries are
 * regenerated here and must come out as they are; and the mechanism catches a changed or hand-typed figure.
 */
class GeneratedDocsTest {
    /** Documents whose generated parts are checked. */
    private static final List<Path> DOCUMENT_DIRS = List.of(Path.of("docs"), Path.of("bench-results"));
    /** Documents where a figure citing a run folder may not be typed by hand (and README.md). */
    private static final List<Path> CITATION_DIRS = List.of(Path.of("docs"), Path.of("bench-results"));
    private static final String FIRST = "tfobench.bench.FirstRequestBenchmark.firstRequest";

    @Test
    void everyGeneratedFigureInTheDocsIsWhatItsRunFolderGives() throws IOException {
        GeneratedDocs docs = new GeneratedDocs();
        List<String> differences = new ArrayList<>();
        List<Path> files = markdown(DOCUMENT_DIRS);
        files.add(Path.of("README.md"));
        int generated = 0;
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            generated += count(text, "<!-- generated: ") + count(text, "<!-- figure: ");
            differences.addAll(docs.differences(file));
        }
        assertEquals(List.of(), differences, "regenerate with: java -jar target/benchmarks.jar report --docs FILE");
        assertTrue(generated >= 10, "the docs hold " + generated + " generated parts: is the marker syntax broken?");
    }

    @Test
    void noFigureCitingARunFolderIsTypedByHand() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files = markdown(CITATION_DIRS);
        files.add(Path.of("README.md"));
        for (Path file : files) {
            found.addAll(GeneratedDocs.handTypedFigures(file));
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theKernelMatrixDocumentIsWhatMatrixWritesFromTheFoldersItNames() throws IOException {
        // matrix --out writes all of bench-results/KERNEL-MATRIX.md, so no figure in it is typed by hand; this is
        // the check that it is still what its folders give (the command is in the document itself).
        Path doc = Path.of("bench-results", "KERNEL-MATRIX.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        java.util.regex.Matcher command = java.util.regex.Pattern.compile(
                "`java -jar target/benchmarks.jar matrix ([^`]*)`").matcher(text);
        assertTrue(command.find(), "no matrix command in " + doc);
        KernelMatrix matrix = new KernelMatrix();
        List<String> args = List.of(command.group(1).trim().split("\\s+"));
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--out")) {
                i++;
            } else if (!args.get(i).startsWith("--")) {
                matrix.add(Path.of("bench-results", args.get(i)));
            }
        }
        String body = text.substring(text.indexOf(GeneratedDocs.WRITTEN_BY_MATRIX));
        body = body.substring(body.indexOf("\n\n") + 2);
        assertEquals(matrix.markdown(), body, "regenerate: cd bench-results && java -jar ../target/benchmarks.jar "
                + "matrix " + command.group(1));
    }

    @Test
    void everyCommittedSummaryIsWhatTheReportWritesNow() throws IOException {
        List<String> stale = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> folders = Files.list(Path.of("bench-results"))) {
            for (Path dir : folders.filter(Files::isDirectory).sorted().toList()) {
                Path summary = dir.resolve(SummaryReport.FILE);
                if (!Files.exists(summary)) {
                    continue;
                }
                String fresh = LoadSweepReport.isLoadRun(dir) ? LoadSweepReport.markdown(dir)
                        : new SummaryReport(List.of(RunReader.read(dir))).markdown(dir);
                if (!fresh.equals(Files.readString(summary, StandardCharsets.UTF_8))) {
                    stale.add(summary + " (java -jar target/benchmarks.jar report " + dir + ")");
                }
                checked++;
            }
        }
        assertEquals(List.of(), stale);
        assertTrue(checked >= 4, "checked " + checked + " committed summaries");
    }

    @Test
    void aFigureThatDiffersFromItsRunFolderIsNamedWithItsLine(@TempDir Path tmp) throws IOException {
        run(tmp.resolve("runs/2026-11-29T000000Z-6.18-test"));
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "# Results\n\nIn `2026-11-29T000000Z-6.18-test` tfo took "
                + "<!-- figure: p50 runs/2026-11-29T000000Z-6.18-test tfo@native/same-cpu --><!-- end figure -->.\n\n"
                + "<!-- generated: savings runs/2026-11-29T000000Z-6.18-test -->\n<!-- end generated -->\n");
        GeneratedDocs docs = new GeneratedDocs();

        assertTrue(docs.update(doc));
        String written = Files.readString(doc);
        assertTrue(written.contains("-->22.0 us<!-- end figure -->"), written);
        assertTrue(written.contains("| native same-cpu | 25.0 | – | 22.0 | – | – |"), written);
        assertEquals(List.of(), docs.differences(doc));

        Files.writeString(doc, written.replace("-->22.0 us<!--", "-->21.3 us<!--"));
        List<String> differences = docs.differences(doc);
        assertEquals(1, differences.size(), differences.toString());
        assertTrue(differences.get(0).startsWith(doc + ":3: says `"), differences.get(0));
        assertTrue(differences.get(0).contains("-->21.3 us<!-- end figure -->.`, the run folders give `"),
                differences.get(0));
        assertTrue(differences.get(0).endsWith("-->22.0 us<!-- end figure -->.`"), differences.get(0));
    }

    @Test
    void aHandTypedFigureInASectionCitingARunIsCaughtUnlessMarked(@TempDir Path tmp) throws IOException {
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "# About 2026-11-29T000000Z-6.18-test\n\nTFO saved 3.4 us (13%) at RTT 10 ms, "
                + "see `bench-results/x` with `-p rtt=1.5`.\n\n<!-- not-from-run: a stopwatch -->\nThe run took "
                + "7.5 s.\n\n| scenario | p50 / p99 us | kernel |\n|---|---|---|\n| cold | 24.7 / 51.9 | 6.12 and 6.1 |\n"
                + "\n# Elsewhere\n\nA C client measured 42.3 ms.\n");

        List<String> found = GeneratedDocs.handTypedFigures(doc);

        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).startsWith(doc + ":3: '3.4 us' is typed by hand"), found.get(0));
        assertTrue(found.get(1).startsWith(doc + ":10: '24.7 / 51.9' is typed by hand"), found.get(1));
    }

    @Test
    void theCalibrationBlockIsTheSummarysJavaAgainstCTableWithoutItsHeading() throws IOException {
        Path reference = Path.of("bench-results/2026-11-25T103843Z-6.18.44-fc-v669-reference");
        String block = new GeneratedDocs().block("calibration " + reference.getFileName(), reference.getParent());
        String summary = Files.readString(reference.resolve(SummaryReport.FILE), StandardCharsets.UTF_8);

        assertTrue(block.startsWith("| placement | scenario | transport | Java p50 us | C p50 us | Java/C | target |"),
                block);
        assertTrue(block.contains("| same-cpu | cold | native | 24.69 |"), block);
        assertTrue(summary.contains(block), "the block is not summary.md's table:\n" + block);
    }

    @Test
    void theRunsEnvironmentRowsAndJmhsTimeAreFiguresToo(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("runs/2026-11-29T000000Z-6.18-test");
        run(dir);
        Files.writeString(dir.resolve("console.log"), "# Run progress: 99.33% complete, ETA 00:00:06\n"
                + "# Run complete. Total time: 00:15:50\n\nBenchmark  Mode\n");
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "It ran on <!-- figure: env runs/2026-11-29T000000Z-6.18-test kernel --><!-- end figure "
                + "--> and JMH took <!-- figure: jmh-time runs/2026-11-29T000000Z-6.18-test --><!-- end figure -->.\n");
        GeneratedDocs docs = new GeneratedDocs();

        assertTrue(docs.update(doc));
        String written = Files.readString(doc);
        String kernel = RunReader.read(dir).environment().kernelRelease();
        assertTrue(written.contains("test kernel -->" + kernel + "<!-- end figure -->"), written);
        assertTrue(written.contains("-->15 min 50 s<!-- end figure -->"), written);

        Files.writeString(dir.resolve("console.log"), "# Run complete. Total time: 01:02:03\n");
        assertEquals("1 h 2 min 3 s", GeneratedDocs.jmhTime(dir));
        Files.delete(dir.resolve("console.log"));
        RunFolderException noConsole = assertThrows(RunFolderException.class, () -> GeneratedDocs.jmhTime(dir));
        assertTrue(noConsole.getMessage().contains("has no console.log with JMH's"), noConsole.getMessage());

        Files.writeString(doc, "<!-- figure: env runs/2026-11-29T000000Z-6.18-test CPU speed --><!-- end figure -->\n");
        RunFolderException unknown = assertThrows(RunFolderException.class, () -> new GeneratedDocs().update(doc));
        assertTrue(unknown.getMessage().contains("has no environment row 'CPU speed' (captured at, kernel,"),
                unknown.getMessage());
    }

    @Test
    void anUnknownKindIsOneLineNamingTheKinds(@TempDir Path tmp) throws IOException {
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "<!-- figure: p42 x y --><!-- end figure -->\n");

        try {
            new GeneratedDocs().differences(doc);
        } catch (RunFolderException e) {
            assertTrue(e.getMessage().startsWith("unknown figure 'p42' (p50, p90"), e.getMessage());
            return;
        }
        throw new AssertionError("an unknown figure was accepted");
    }

    private static void run(Path dir) {
        SyntheticRun.in(dir)
                .result(FIRST, Map.of("allowFallback", "false", "handshake", "cold", "placement", "same-cpu",
                        "transport", "native"), SyntheticRun.forks(6, 2, 25.0))
                .result(FIRST, Map.of("allowFallback", "false", "handshake", "tfo", "placement", "same-cpu",
                        "transport", "native"), SyntheticRun.forks(6, 2, 22.0))
                .write();
    }

    private static List<Path> markdown(List<Path> dirs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static int count(String text, String marker) {
        return text.split(java.util.regex.Pattern.quote(marker), -1).length - 1;
    }
}

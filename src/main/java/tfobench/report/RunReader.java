package tfobench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run folder: {@code jmh-result.json} (required), {@code environment.json} and {@code tcpext-delta.json}
 * (optional), and each result's {@code .hlog} interval logs (JMH's own samples stand in where there are none).
 * Anything that makes the folder unusable is a {@link RunFolderException} with one line saying which and why.
 */
public final class RunReader {
    private RunReader() {
    }

    public static Run read(Path dir) throws RunFolderException {
        if (!Files.exists(dir)) {
            throw new RunFolderException(dir + ": no such folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException(dir + " is not a folder (expected a run folder holding "
                    + RunFolder.JMH_JSON + ")");
        }
        Path json = dir.resolve(RunFolder.JMH_JSON);
        if (!Files.isRegularFile(json)) {
            throw new RunFolderException(dir + " has no " + RunFolder.JMH_JSON
                    + " (not a run folder, or the run did not finish)");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        for (JmhResultFile.Parsed parsed : JmhResultFile.read(json)) {
            BenchmarkResult r = parsed.result();
            IntervalLogs.Logs logs = IntervalLogs.read(dir, r.id());
            int expected = Math.max(1, r.settings().forks()) * r.settings().measurementIterations();
            int found = logs.intervalCount();
            if (found > 0 && found != expected) {
                throw new RunFolderException(dir + ": the .hlog files of " + r.id().fileStem() + " hold "
                        + found + " intervals where JMH measured " + expected
                        + " iterations (files from another run, or damaged?)");
            }
            LatencyData latency = found == 0 ? parsed.jmhSamples()
                    : new LatencyData(logs.forks(), LatencyData.Source.HLOG, logs.retransmitted());
            results.add(new BenchmarkResult(r.id(), r.settings(), r.evidence(), latency,
                    r.jmhPercentilesMicros()));
        }
        Path environment = dir.resolve(RunFolder.ENVIRONMENT_JSON);
        Environment env = Files.exists(environment) ? Environment.read(environment) : Environment.missing();
        return new Run(dir, env, results, fastOpenCounters(dir.resolve(RunFolder.TCPEXT_JSON)));
    }

    /**
     * The {@code fastOpen} section of {@code tcpext-delta.json} and, from its {@code all} section, the counters of
     * the tail's causes ({@link tfobench.linux.TcpExtCounters#TAIL}); empty without the file.
     */
    private static Map<String, Long> fastOpenCounters(Path file) throws RunFolderException {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return counters;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            JsonElement fastOpen = root.isJsonObject() ? root.getAsJsonObject().get("fastOpen") : null;
            if (fastOpen != null && fastOpen.isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : ((JsonObject) fastOpen).entrySet()) {
                    counters.put(e.getKey(), e.getValue().getAsLong());
                }
            }
            JsonElement all = root.isJsonObject() ? root.getAsJsonObject().get("all") : null;
            if (all != null && all.isJsonObject()) {
                for (String name : tfobench.linux.TcpExtCounters.TAIL) {
                    JsonElement value = all.getAsJsonObject().get(name);
                    if (value != null) {
                        counters.put(name, value.getAsLong());
                    }
                }
            }
        } catch (JsonParseException | IllegalStateException | NumberFormatException
                 | UnsupportedOperationException e) {
            throw new RunFolderException(file + " is not the TcpExt delta JSON the launcher writes: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } catch (IOException e) {
            throw new RunFolderException("cannot read " + file + ": " + e.getMessage());
        }
        return counters;
    }
}

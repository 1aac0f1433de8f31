package tfobench.report;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time per operation of each network result ({@code cpu.client}, {@code cpu.server},
 * {@code cpu.otherThreads}: the secondary metrics of {@code tfobench.bench.CpuCostProfiler}), read from a run
 * folder's {@code jmh-result.json}; summary.md's and compare's "CPU per operation" sections.
 */
final class CpuCostTable {
    static final String EXPLANATION = "CPU time per operation in microseconds, beside the latency and never part "
            + "of it: each side's thread CPU clocks (user and system time, including the kernel's softirq work done "
            + "on that thread), read once before and once after every iteration and divided by its operations; the "
            + "mean over measured iterations. `client`: the benchmark thread, plus the event loop for Netty. "
            + "`server`: the in-process server's threads; `remote` when `-p host=` named a server on another host, "
            + "whose threads this run could not read. `other`: every other thread of the benchmark's JVM (JIT, GC, "
            + "JMH). On loopback the receive path of every segment runs on the sending thread, so the kernel's work is "
            + "split by who sent, not who received; `client + server` is what an operation costs the machine.";

    /** One result's figures, microseconds per operation; server is NaN when the server was remote. */
    record Cost(BenchmarkId id, double client, double server, double other, double[] clientPlusServerIterations) {
        double clientPlusServer() {
            return client + server;
        }

        boolean remoteServer() {
            return Double.isNaN(server);
        }
    }

    /** The part of JMH's JSON these metrics live in. */
    private static final class Entry {
        String benchmark;
        Map<String, String> params;
        Map<String, Metric> secondaryMetrics;
    }

    private static final class Metric {
        Double score;
        /** [fork][iteration] */
        List<List<Double>> rawData;
    }

    private CpuCostTable() {
    }

    /** The run's results that carry CPU metrics, in JMH's order. */
    static List<Cost> read(Run run) {
        Path file = run.dir().resolve(RunFolder.JMH_JSON);
        if (!Files.exists(file)) {
            return List.of();
        }
        Entry[] entries;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            entries = new Gson().fromJson(reader, Entry[].class);
        } catch (IOException | JsonParseException e) {
            return List.of(); // RunReader has already said what is wrong with the file
        }
        List<Cost> costs = new ArrayList<>();
        for (Entry e : entries == null ? new Entry[0] : entries) {
            if (e == null || e.benchmark == null || e.secondaryMetrics == null) {
                continue;
            }
            Metric client = e.secondaryMetrics.get("cpu.client");
            if (client == null || client.score == null) {
                continue;
            }
            Metric server = e.secondaryMetrics.get("cpu.server");
            Metric other = e.secondaryMetrics.get("cpu.otherThreads");
            costs.add(new Cost(new BenchmarkId(e.benchmark, e.params == null ? Map.of() : e.params).comparable(),
                    client.score, server == null || server.score == null ? Double.NaN : server.score,
                    other == null || other.score == null ? Double.NaN : other.score, sumByIteration(client, server)));
        }
        return costs;
    }

    private static double[] sumByIteration(Metric client, Metric server) {
        List<Double> sums = new ArrayList<>();
        if (client.rawData != null) {
            for (int f = 0; f < client.rawData.size(); f++) {
                List<Double> fork = client.rawData.get(f);
                for (int i = 0; i < fork.size(); i++) {
                    double s = server == null || server.rawData == null ? 0 : server.rawData.get(f).get(i);
                    sums.add(fork.get(i) + s);
                }
            }
        }
        return sums.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** summary.md's section for the runs, or an empty string when no result has CPU metrics. */
    static String summary(List<Run> runs) {
        MarkdownTable table = new MarkdownTable(header(runs.size() > 1, "benchmark", "params", "client us/op",
                "server us/op", "client + server", "other us/op"));
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            for (Cost c : read(runs.get(i))) {
                any = true;
                List<String> row = new ArrayList<>();
                if (runs.size() > 1) {
                    row.add(String.valueOf(i + 1));
                }
                row.addAll(List.of(c.id().shortName(), c.id().paramsLabel(), Numbers.micros(c.client()),
                        c.remoteServer() ? "remote" : Numbers.micros(c.server()),
                        c.remoteServer() ? Numbers.MISSING : Numbers.micros(c.clientPlusServer()),
                        Numbers.micros(c.other())));
                table.row(row);
            }
        }
        if (!any) {
            return "";
        }
        return "## CPU per operation\n\n" + EXPLANATION + "\n\n" + table.render() + '\n';
    }

    /** compare's section: each result in every run with its CPU, and the client + server sum against run 1's. */
    static String comparison(List<Run> runs) {
        List<Map<BenchmarkId, Cost>> byRun = new ArrayList<>();
        for (Run run : runs) {
            Map<BenchmarkId, Cost> costs = new LinkedHashMap<>();
            read(run).forEach(c -> costs.put(c.id(), c));
            byRun.add(costs);
        }
        MarkdownTable table = new MarkdownTable("benchmark", "params", "run", "client us/op", "server us/op",
                "client + server", "ratio to run 1", "p", "verdict");
        boolean any = false;
        for (BenchmarkId id : byRun.get(0).keySet()) {
            if (byRun.stream().anyMatch(m -> !m.containsKey(id))) {
                continue;
            }
            any = true;
            Cost reference = byRun.get(0).get(id);
            for (int i = 0; i < runs.size(); i++) {
                Cost c = byRun.get(i).get(id);
                List<String> row = new ArrayList<>(List.of(id.shortName(), id.paramsLabel(), String.valueOf(i + 1),
                        Numbers.micros(c.client()), c.remoteServer() ? "remote" : Numbers.micros(c.server()),
                        c.remoteServer() ? Numbers.MISSING : Numbers.micros(c.clientPlusServer())));
                row.addAll(i == 0 ? List.of("1 (reference)", "", "") : against(reference, c).orElse(
                        List.of(Numbers.MISSING, "", "")));
                table.row(row);
            }
        }
        if (!any) {
            return "";
        }
        return "## CPU per operation\n\n" + EXPLANATION + " Ratio: of the medians of the per-iteration "
                + "`client + server` values. No test and no verdict: the CPU figures are per iteration, and iterations "
                + "of one fork are not independent replicates (the latency tables compare forks).\n\n" + table.render() + '\n';
    }

    private static Optional<List<String>> against(Cost reference, Cost c) {
        if (reference.remoteServer() != c.remoteServer() || reference.clientPlusServerIterations().length == 0
                || c.clientPlusServerIterations().length == 0) {
            return Optional.empty();
        }
        double ratio = Median.of(c.clientPlusServerIterations()) / Median.of(reference.clientPlusServerIterations());
        return Optional.of(List.of(String.format(java.util.Locale.ROOT, "%.3f", ratio), "–", "n/a (no test)"));
    }

    private static String[] header(boolean withRun, String... columns) {
        List<String> h = new ArrayList<>();
        if (withRun) {
            h.add("run");
        }
        h.addAll(List.of(columns));
        return h.toArray(new String[0]);
    }

}

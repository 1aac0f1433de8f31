package tfobench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run folder as read: its environment, its results (JMH's order) with latencies, and the whole run's TcpExt
 * deltas ({@code tcpext-delta.json}: fast open counters and the tail's causes; empty if absent).
 */
public record Run(Path dir, Environment environment, List<BenchmarkResult> results,
                  Map<String, Long> runCounters) {

    public Run {
        results = List.copyOf(results);
        runCounters = Collections.unmodifiableMap(new LinkedHashMap<>(runCounters));
    }

    /** The folder's name, e.g. {@code 2026-11-25T092334Z-6.18.44-fc-v669-default-suite}. */
    public String name() {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    public Optional<BenchmarkResult> result(BenchmarkId id) {
        BenchmarkId key = id.comparable();
        return results.stream().filter(r -> r.id().comparable().equals(key)).findFirst();
    }

    /** The environment's facts followed by how JMH measured (from the results). */
    public List<Environment.Fact> facts() {
        List<Environment.Fact> facts = new ArrayList<>();
        facts.add(new Environment.Fact("folder", name(), false));
        facts.addAll(environment.facts());
        Set<String> settings = new LinkedHashSet<>();
        results.forEach(r -> settings.add(r.settings().describe()));
        facts.add(new Environment.Fact("measurement", String.join("; ", settings), true));
        return facts;
    }
}

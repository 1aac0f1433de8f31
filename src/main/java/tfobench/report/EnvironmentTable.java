package tfobench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs' environments side by side, one row per fact; with several runs, a last column marks the compared facts
 * (kernel, placement plans, JVM, CPU, namespace, sysctls, measurement settings...) whose values differ.
 */
final class EnvironmentTable {
    private final List<Run> runs;
    private final List<String> names = new ArrayList<>();
    private final Set<String> compared = new LinkedHashSet<>();
    private final List<Map<String, String>> values = new ArrayList<>();

    EnvironmentTable(List<Run> runs) {
        this.runs = runs;
        Set<String> allNames = new LinkedHashSet<>();
        for (Run run : runs) {
            Map<String, String> byName = new LinkedHashMap<>();
            for (Environment.Fact fact : run.facts()) {
                allNames.add(fact.name());
                byName.put(fact.name(), fact.value());
                if (fact.compared()) {
                    compared.add(fact.name());
                }
            }
            values.add(byName);
        }
        names.addAll(allNames);
    }

    /** The compared facts whose values are not the same in every run. */
    List<String> differences() {
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (compared.contains(name) && differs(name)) {
                differing.add(name);
            }
        }
        return differing;
    }

    /** Runs whose folder has no {@code environment.json}. */
    List<Run> withoutEnvironment() {
        return runs.stream().filter(r -> r.environment().isMissing()).toList();
    }

    String render() {
        if (runs.size() == 1) {
            MarkdownTable table = new MarkdownTable("property", "value");
            names.forEach(name -> table.row(name, value(0, name)));
            return table.render();
        }
        List<String> header = new ArrayList<>();
        header.add("property");
        for (int i = 0; i < runs.size(); i++) {
            header.add("run " + (i + 1));
        }
        header.add("");
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        for (String name : names) {
            List<String> row = new ArrayList<>();
            row.add(name);
            for (int i = 0; i < runs.size(); i++) {
                row.add(value(i, name));
            }
            row.add(compared.contains(name) && differs(name) ? "**differs**" : "");
            table.row(row);
        }
        return table.render();
    }

    private boolean differs(String name) {
        return values.stream().map(v -> v.getOrDefault(name, Numbers.MISSING)).distinct().count() > 1;
    }

    private String value(int run, String name) {
        return values.get(run).getOrDefault(name, Numbers.MISSING);
    }
}

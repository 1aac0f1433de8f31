package tfobench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One benchmark method with one set of JMH parameters: the unit every table row and every latency file is about.
 *
 * @param benchmark the fully qualified method, as JMH names it ({@code tfobench.bench.FirstRequestBenchmark.firstRequest})
 * @param params    parameter name to value, in JMH's order (the order of the JSON and of the latency file names)
 */
public record BenchmarkId(String benchmark, Map<String, String> params) {

    public BenchmarkId {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Parameters added to the suite later, at the value that means what runs without them measured: a run made
     * before {@code rtt} or {@code host} existed measured {@code rtt=0} on {@code host=loopback}, one before
     * {@code family} and {@code requestBytes} IPv4 and the seed's 79 bytes, and a cookie request made before
     * {@code cookieMiss} deleted the cookie over netlink (so it does not match today's default, fresh-address).
     */
    private static final Map<String, String> LATER_DEFAULTS = Map.of("rtt", "0", "host", "loopback", "family", "ipv4",
            "requestBytes", "79", "cookieMiss", "netlink-delete");

    /** This id without parameters at their later-added defaults: the key for matching results across runs. */
    public BenchmarkId comparable() {
        Map<String, String> kept = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!v.equals(LATER_DEFAULTS.get(k))) {
                kept.put(k, v);
            }
        });
        return kept.size() == params.size() ? this : new BenchmarkId(benchmark, kept);
    }

    /** {@code Class.method}, without the package. */
    public String shortName() {
        int lastDot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
        return benchmark.substring(lastDot + 1);
    }

    /** The parameters as {@code k=v k=v}, or an empty string. */
    public String paramsLabel() {
        StringJoiner label = new StringJoiner(" ");
        params.forEach((k, v) -> label.add(k + "=" + v));
        return label.toString();
    }

    /** A parameter's value, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /**
     * The file name stem of this benchmark's latency files in a run folder
     * ({@code <stem>-fork<N>.hlog}, {@code .hgrm}): {@code Class.method-k=v-k=v}, unsafe characters as {@code _}.
     */
    public String fileStem() {
        StringBuilder name = new StringBuilder(shortName());
        params.forEach((k, v) -> name.append('-').append(k).append('=').append(v));
        return name.toString().replaceAll("[^A-Za-z0-9._=-]", "_");
    }

    @Override
    public String toString() {
        return params.isEmpty() ? shortName() : shortName() + " " + paramsLabel();
    }
}

package tfobench.report;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a result is, in the words of the tables and plots: a scenario ({@code cold}, {@code tfo},
 * {@code tfo-connect}, {@code cookie-request}, {@code keepalive}, or the method name for anything else) measured
 * in a setting (transport, placement and any other parameter, e.g. {@code native same-cpu}).
 */
public record Scenario(String name, String setting) {
    /** The scenarios in the order tables and plots list them. */
    static final List<String> ORDER = List.of("cold", "tfo", "tfo-connect", "cookie-request", "keepalive");
    static final String COLD = "cold";
    static final String TFO = "tfo";
    static final String TFO_CONNECT = "tfo-connect";
    static final String KEEPALIVE = "keepalive";
    static final String COOKIE_REQUEST = "cookie-request";

    /** The suite's default parameter values, left out of settings' names. */
    private static final Map<String, String> SUITE_DEFAULTS = Map.of("allowFallback", "false", "rtt", "0", "host",
            "loopback", "family", "ipv4", "requestBytes", "79", "cookieMiss", "fresh-address");

    public static Scenario of(BenchmarkId id) {
        String name = id.param("handshake");
        if (name == null) {
            String shortName = id.shortName();
            if (shortName.startsWith("CookieRequestBenchmark.")) {
                // How the client meets the server without a cookie is part of what the scenario is; the default
                // (a never-used address) is the cookie request the savings table takes apart.
                String miss = id.param("cookieMiss");
                name = miss == null || miss.equals("fresh-address") ? COOKIE_REQUEST
                        : COOKIE_REQUEST + " (" + miss + ")";
            } else if (shortName.startsWith("KeepAliveBenchmark.")) {
                name = KEEPALIVE;
            } else {
                name = shortName;
            }
        }
        StringJoiner setting = new StringJoiner(" ");
        String transport = id.param("transport");
        String placement = id.param("placement");
        if (transport != null) {
            setting.add(transport);
        }
        if (placement != null) {
            setting.add(placement);
        }
        for (Map.Entry<String, String> p : id.params().entrySet()) {
            boolean named = p.getKey().equals("handshake") || p.getKey().equals("transport")
                    || p.getKey().equals("placement") || p.getKey().equals("cookieMiss");
            // Parameters at the suite's defaults say nothing about the setting: leave them out of names and titles.
            boolean atDefault = p.getValue().equals(SUITE_DEFAULTS.get(p.getKey()));
            if (!named && !atDefault) {
                setting.add(p.getKey() + "=" + p.getValue());
            }
        }
        return new Scenario(name, setting.toString());
    }

    /** Position in {@link #ORDER}; unknown scenarios after the known ones. */
    int rank() {
        int i = ORDER.indexOf(name);
        return i < 0 ? ORDER.size() : i;
    }
}

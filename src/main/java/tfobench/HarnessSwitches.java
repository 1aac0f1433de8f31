package tfobench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code -Dtfobench.harness=SWITCH,...}: changes to what the harness does around each operation, each one taking out
 * a part that stays or putting back a part that was removed, so that a run with it, compared with a run without,
 * measures what that part costs (docs/COST.md). Results made with a switch measure something else than the suite's
 * scenarios: the launcher passes the setting to its forks and records it in environment.json and the run's label.
 */
public final class HarnessSwitches {
    public static final String PROPERTY = Settings.HARNESS.property();

    /** Every switch, with what it does. */
    public static final List<String> KNOWN = List.of(
            "client-nodelay",       // native client: TCP_NODELAY on every socket again (one setsockopt per connection)
            "client-timeouts-off",  // native client: no SO_RCVTIMEO/SO_SNDTIMEO (two setsockopts fewer; can hang)
            "server-workers-4",     // native benchmark server: four accepting threads, as before, instead of one
            "latency-log-off");     // benchmarks: no HdrHistogram recording of each operation (no .hlog/.hgrm)

    /** Read on first use, so that {@link #parse} can check the setting without failing this class's loading. */
    private static final class Active {
        static final List<String> SWITCHES = parse(Settings.HARNESS.value());
    }

    private HarnessSwitches() {
    }

    /** True when the switch is given. */
    public static boolean on(String name) {
        if (!KNOWN.contains(name)) {
            throw new AssertionError("no harness switch " + name);
        }
        return Active.SWITCHES.contains(name);
    }

    /** The switches given, in order. */
    public static List<String> active() {
        return Active.SWITCHES;
    }

    /**
     * The switches in {@code value}.
     *
     * @throws IllegalArgumentException one line naming an unknown switch and the known ones
     */
    public static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("-D" + PROPERTY + ": unknown switch '" + name + "' (known: "
                        + String.join(", ", KNOWN) + ")");
            }
            out.add(name);
        }
        return List.copyOf(out);
    }
}

package tfobench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of tfo-bench, in one place (as Aeron's {@code Configuration}): one constant per setting, with the
 * system property and/or environment variable it is read from, its default and what it does. A value is taken
 * from the system property first ({@code -Dtfobench....}), then the environment variable ({@code TFOBENCH_...}),
 * then the default; a blank value counts as unset. The preflight prints the {@link #RUN} settings before a run and
 * every run folder's {@code environment.json} records them, so a result says which settings it ran with.
 *
 * <p>JMH's own options (forks, iterations, {@code -p}) are not settings: they stay on JMH's command line and in
 * each result's {@code params}.
 */
public final class Settings {

    /**
     * One knob: where it is read from, its default and its meaning.
     *
     * @param property     system property name, or null when it is read only from the environment
     * @param environment  environment variable name, or null when it is read only from a system property
     * @param defaultValue the value when neither is set ({@code ""}: none)
     * @param meaning      one line for the preflight and the docs
     */
    public record Setting(String property, String environment, String defaultValue, String meaning) {
        /** The value in force: the system property, else the environment variable, else the default. */
        public String value() {
            String fromProperty = property == null ? null : System.getProperty(property);
            if (fromProperty != null && !fromProperty.isBlank()) {
                return fromProperty;
            }
            String fromEnvironment = environment == null ? null : System.getenv(environment);
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                return fromEnvironment;
            }
            return defaultValue;
        }

        /** Where {@link #value()} comes from: {@code -Dname}, the variable's name, or {@code default}. */
        public String source() {
            if (property != null && System.getProperty(property) != null && !System.getProperty(property).isBlank()) {
                return "-D" + property;
            }
            if (environment != null && System.getenv(environment) != null && !System.getenv(environment).isBlank()) {
                return environment;
            }
            return "default";
        }

        /** True when the property or the variable gave a value. */
        public boolean isSet() {
            return !source().equals("default");
        }

        /** The name to print: the property's, else the variable's. */
        public String name() {
            return property != null ? property : environment;
        }

        /** {@code value (source)}, or {@code none (default)} for an empty default. */
        public String describe() {
            String value = value();
            return (value.isEmpty() ? "none" : value) + " (" + source() + ")";
        }
    }

    /** Root directory of run folders ({@code <root>/<date>-<kernel>-<label>/}). */
    public static final Setting RESULTS = new Setting("tfobench.results", "TFOBENCH_RESULTS", "bench-results",
            "directory the run folders go into");

    /** Last part of the run folder's name; {@code emulated-} is put in front under {@link #EMULATION}. */
    public static final Setting LABEL = new Setting("tfobench.label", "TFOBENCH_LABEL", "run",
            "last part of the run folder's name");

    /**
     * A file the launcher writes the run folder's absolute path into once it exists, so that a calling script
     * (scripts/bench.sh) finds the folder without parsing the console.
     */
    public static final Setting RUN_DIR_FILE = new Setting("tfobench.runDirFile", "TFOBENCH_RUN_DIR_FILE", "",
            "file the launcher writes the run folder's path into, for scripts");

    /**
     * Set by whoever runs the jar inside an emulated machine (scripts/kernel-matrix.sh: qemu without KVM): its value
     * describes the emulation. The run folder's label then starts with {@code emulated-} and environment.json says
     * its timings are not the hardware's.
     */
    public static final Setting EMULATION = new Setting(null, "TFOBENCH_EMULATION", "",
            "describes the emulator the run is in (marks the run folder emulated)");

    /**
     * For runs against a remote server ({@code -p host=}): what lies between client and server, recorded in
     * environment.json (scripts/veth-run.sh says "veth pair between two network namespaces, MTU 1500, netem delay
     * 20 ms on the client's egress").
     */
    public static final Setting LINK = new Setting(null, "TFOBENCH_LINK", "",
            "describes the link to a remote server (-p host=), recorded with the run");

    /** Where the jar came from (scripts/kernel-matrix.sh passes the git commit), recorded in environment.json. */
    public static final Setting SOURCE = new Setting(null, "TFOBENCH_SOURCE", "",
            "where the jar came from (e.g. a git commit), recorded with the run");

    /**
     * {@code private}: set by whoever made the private network namespace the process runs in (the jar re-running
     * itself under unshare, scripts/netns/bin/java, scripts/million-connections); only then does the process change
     * network settings, inside it. {@code host}: keep the run in the current network namespace (the host must then
     * have {@code tcp_fastopen=3}, and the TcpExt counters include other traffic).
     */
    public static final Setting NETNS = new Setting(null, "TFOBENCH_NETNS", "",
            "private: already in a namespace made for the run; host: stay in the current one");

    /** {@link #NETNS} value set by whoever made the private namespace. */
    public static final String NETNS_PRIVATE = "private";
    /** {@link #NETNS} value that keeps a run in the current namespace. */
    public static final String NETNS_HOST = "host";

    /**
     * The run folder, passed by the launcher to itself (for {@code -f 0}) and to JMH's forks, where the latency
     * recording writes its {@code .hgrm}/{@code .hlog} files. Without it (a benchmark run without the launcher)
     * nothing is written.
     */
    public static final Setting RUN_DIR = new Setting("tfobench.runDir", null, "",
            "run folder, passed by the launcher to JMH's forks for the latency files");

    /** {@code false} skips the C calibration after the JMH run (the C peer making the same system calls). */
    public static final Setting CALIBRATION = new Setting("tfobench.calibration", null, "true",
            "false skips the C calibration after the JMH run");

    /** Seconds the C calibration measures each scenario (after up to one second of warm-up). */
    public static final Setting CALIBRATION_SECONDS = new Setting("tfobench.calibration.seconds", null, "3",
            "seconds the C calibration measures each scenario");

    /**
     * Parts of the harness changed to measure what they cost ({@code tfobench.HarnessSwitches}, docs/COST.md): the
     * launcher checks them, passes them to its forks and adds them to the run folder's name.
     */
    public static final Setting HARNESS = new Setting("tfobench.harness", null, "",
            "harness switches, comma list: measure what a part of the harness costs (docs/COST.md)");

    /**
     * The binding of the per-operation socket calls ({@code tfobench.linux.LinuxLayer}): {@code auto} is the FFM API
     * on JDK 22+ when the jar has it, JNA elsewhere; the launcher passes it to its forks.
     */
    public static final Setting LINUX = new Setting("tfobench.linux", null, "auto",
            "jna, ffm or auto: the binding of the per-operation socket calls");

    /**
     * Why no private namespace could be made for the tests (set by scripts/netns/bin/java): the fast open tests then
     * fail with it in one line instead of being skipped.
     */
    public static final Setting NETNS_ERROR = new Setting(null, "TFOBENCH_NETNS_ERROR", "",
            "tests: why scripts/netns/bin/java could not make a private namespace");

    /** Seed of the property tests' random inputs; a failure prints the seed that replays it. */
    public static final Setting SEED = new Setting("tfobench.seed", null, "20251125",
            "tests: seed of the property tests' random inputs");

    /** The java that scripts/netns/bin/java runs inside the namespace (read by that script only). */
    public static final Setting REAL_JAVA = new Setting(null, "TFOBENCH_REAL_JAVA",
            "$JAVA_HOME/bin/java, else /usr/bin/java",
            "tests: the java scripts/netns/bin/java runs (read by that script)");

    /** Maven property: the JVM Surefire forks the tests with (pom.xml; {@code mvn -Dtfobench.test.jvm=...}). */
    public static final Setting TEST_JVM = new Setting("tfobench.test.jvm", null,
            "scripts/netns/bin/java", "tests: the JVM Surefire forks (a Maven property, read by pom.xml)");

    /** What a jar run reads: printed by the preflight and recorded in environment.json. */
    public static final List<Setting> RUN = List.of(RESULTS, LABEL, RUN_DIR_FILE, EMULATION, LINK, SOURCE, NETNS,
            RUN_DIR, CALIBRATION, CALIBRATION_SECONDS, HARNESS, LINUX);

    /** What only the tests and their scripts read. */
    public static final List<Setting> TEST = List.of(NETNS_ERROR, SEED, REAL_JAVA, TEST_JVM);

    private Settings() {
    }

    /** The {@link #RUN} settings as environment.json records them: name -> {@code value (source)}. */
    public static Map<String, String> runSettings() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : RUN) {
            values.put(s.name(), s.describe());
        }
        return values;
    }

    /** True when this process was started inside a private namespace made for it ({@link #NETNS} is private). */
    public static boolean inPrivateNamespace() {
        return NETNS_PRIVATE.equals(NETNS.value());
    }

    /** True when the user asked to stay in the current namespace ({@link #NETNS} is host). */
    public static boolean stayInCurrentNamespace() {
        return NETNS_HOST.equals(NETNS.value());
    }
}

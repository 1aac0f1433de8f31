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
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A run's {@code environment.json} as the facts the tables show, in a fixed order. Facts marked compared are the
 * ones a comparison flags when runs differ in them (kernel, placement plans, JVM, CPU, namespace, sysctls...);
 * the others (folder, date, arguments) differ between any two runs.
 */
public final class Environment {
    /** One row of an environment table. */
    public record Fact(String name, String value, boolean compared) {
    }

    static final String UNKNOWN = "unknown";
    private final JsonObject json;

    private Environment(JsonObject json) {
        this.json = json;
    }

    /** For a folder without {@code environment.json}: every fact is unknown. */
    public static Environment missing() {
        return new Environment(null);
    }

    static Environment read(Path file) throws RunFolderException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new RunFolderException(file + " is not a JSON object (an environment snapshot is one)");
            }
            return new Environment(root.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new RunFolderException(file + " is not complete JSON (truncated or edited?): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } catch (IOException e) {
            throw new RunFolderException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public boolean isMissing() {
        return json == null;
    }

    public String kernelRelease() {
        return text("kernel", "release");
    }

    public String capturedAt() {
        return text("capturedAt");
    }

    /** How the run was emulated (e.g. qemu TCG), or null when it ran on this machine's own CPU. */
    public String emulation() {
        JsonObject emulation = object("emulation");
        if (emulation == null || !emulation.has("emulated") || !emulation.get("emulated").getAsBoolean()) {
            return null;
        }
        return emulation.has("how") ? emulation.get("how").getAsString() : "emulated";
    }

    /** The facts in table order. */
    public List<Fact> facts() {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("captured at", capturedAt(), false));
        facts.add(new Fact("kernel", kernelRelease(), true));
        facts.add(new Fact("kernel build", text("kernel", "version"), true));
        facts.add(new Fact("emulation", emulation() == null ? "none" : emulation(), true));
        facts.add(new Fact("CPU model", text("cpu", "model"), true));
        facts.add(new Fact("CPUs", "online " + text("cpu", "online") + ", allowed " + text("cpu", "allowed"), true));
        facts.add(new Fact("JVM", text("jvm", "java.vm.name") + " " + text("jvm", "java.vm.version") + " ("
                + text("jvm", "java.vendor") + ")", true));
        facts.add(new Fact("namespace", text("namespace"), true));
        facts.add(new Fact("placement plans", placementPlans(), true));
        facts.add(new Fact("network", text("network", "path") + ", RTT emulation " + text("network", "rttEmulation"),
                true));
        JsonObject sysctls = object("sysctls");
        if (sysctls != null) {
            for (Map.Entry<String, JsonElement> e : sysctls.entrySet()) {
                if (e.getValue().isJsonPrimitive()) {
                    facts.add(new Fact(e.getKey(), e.getValue().getAsString(), true));
                }
            }
        }
        facts.add(new Fact("Netty epoll", text("nettyEpoll"), true));
        facts.add(new Fact("tfo-bench", text("toolVersion") + ", commit " + commit(), true));
        facts.add(new Fact("JMH", text("jmhVersion"), true));
        facts.add(new Fact("Netty", text("nettyVersion"), true));
        facts.add(new Fact("JMH arguments", arguments(), false));
        return facts;
    }

    /** The commit the jar was built from, with {@code (uncommitted changes)} when the tree was dirty. */
    private String commit() {
        String commit = text("provenance", "gitCommit");
        if (commit.equals(UNKNOWN)) {
            return UNKNOWN;
        }
        String dirty = text("provenance", "gitDirty");
        return commit.substring(0, Math.min(12, commit.length())) + (dirty.equals("true") ? " (uncommitted changes)"
                : dirty.equals("false") ? "" : " (changes unknown)");
    }

    private String placementPlans() {
        JsonObject placements = object("placements");
        JsonElement plans = placements == null ? null : placements.get("plans");
        if (plans == null || !plans.isJsonObject()) {
            return UNKNOWN;
        }
        StringJoiner joined = new StringJoiner("; ");
        for (Map.Entry<String, JsonElement> e : plans.getAsJsonObject().entrySet()) {
            joined.add(e.getKey() + ": " + e.getValue().getAsString());
        }
        return joined.toString();
    }

    private String arguments() {
        JsonElement args = json == null ? null : json.get("jmhArguments");
        if (args == null || !args.isJsonArray()) {
            return UNKNOWN;
        }
        StringJoiner joined = new StringJoiner(" ");
        args.getAsJsonArray().forEach(a -> joined.add(a.getAsString()));
        return joined.length() == 0 ? "(none: the default suite)" : joined.toString();
    }

    private JsonObject object(String name) {
        JsonElement e = json == null ? null : json.get(name);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    /** A string at a path of object keys, or {@code unknown}. */
    private String text(String... path) {
        JsonElement e = json;
        for (String key : path) {
            if (e == null || !e.isJsonObject()) {
                return UNKNOWN;
            }
            e = e.getAsJsonObject().get(key);
        }
        return e != null && e.isJsonPrimitive() ? e.getAsString() : UNKNOWN;
    }
}

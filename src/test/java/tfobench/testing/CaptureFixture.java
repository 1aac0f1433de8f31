package tfobench.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tfobench.capture.Dumpcap;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A real capture taken on this machine by the capture step ({@code src/test/resources/captures/loopback}: two
 * connections of each scenario in each transport, {@code capture.pcapng} and {@code capture.json}), to copy into a
 * run folder and alter; and the one-line requirement of the tests that capture for real.
 */
public final class CaptureFixture {
    private CaptureFixture() {
    }

    /** Fails (never skips) with the package to install when dumpcap is missing. */
    public static void requireDumpcap() {
        Dumpcap.whyNot().ifPresent(why -> {
            throw new AssertionError(why);
        });
    }

    /** Copies the capture and its index into {@code dir}; returns {@code dir}. */
    public static Path copyInto(Path dir) throws IOException {
        try {
            Path captures = Path.of(CaptureFixture.class.getResource("/captures/loopback").toURI());
            for (String f : new String[] {"capture.pcapng", "capture.json"}) {
                Files.copy(captures.resolve(f), dir.resolve(f));
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    /** Rewrites the index's list of exchanges in {@code dir} with {@code edit}. */
    public static void editExchanges(Path dir, Consumer<JsonArray> edit) throws IOException {
        Path index = dir.resolve("capture.json");
        JsonObject doc = JsonParser.parseString(Files.readString(index)).getAsJsonObject();
        edit.accept(doc.getAsJsonArray("exchanges"));
        Files.writeString(index, doc.toString());
    }

    /** The first exchange of a scenario in the index's list. */
    public static JsonObject first(JsonArray exchanges, String scenario) {
        for (JsonElement e : exchanges) {
            if (e.getAsJsonObject().get("scenario").getAsString().equals(scenario)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no " + scenario + " exchange");
    }
}

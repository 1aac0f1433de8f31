package tfobench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How every JSON file the suite writes is written: from a record (or a map where the keys are data, such as counter
 * names), pretty-printed, UTF-8, no HTML escaping (so {@code =} and {@code <} stay readable), null fields left out,
 * and a final newline. One Gson for all, so every file opens the same way in {@code jq} and in the report tools.
 */
public final class JsonFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private JsonFile() {
    }

    /** Writes {@code document} to {@code file}, replacing it. */
    public static void write(Path file, Object document) throws IOException {
        Files.writeString(file, GSON.toJson(document) + "\n", StandardCharsets.UTF_8);
    }

    /** {@code document} as a JSON object, for merging one record's fields into another document. */
    public static JsonObject toObject(Object document) {
        return GSON.toJsonTree(document).getAsJsonObject();
    }
}

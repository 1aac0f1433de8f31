package tfobench.report;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One run's folder: {@code <results>/<date>-<kernel>-<label>/}, holding JMH's JSON, the environment snapshot,
 * the latency files and the TcpExt deltas. Never reuses an existing folder.
 */
public final class RunFolder {
    public static final String JMH_JSON = "jmh-result.json";
    public static final String ENVIRONMENT_JSON = "environment.json";
    public static final String TCPEXT_JSON = "tcpext-delta.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'");

    private RunFolder() {
    }

    /** Creates a new folder under {@code root}; adds {@code -2}, {@code -3}... if the name is taken. */
    public static Path create(Path root, String kernel, String label) throws IOException {
        String base = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + safe(kernel) + "-" + safe(label);
        Files.createDirectories(root);
        for (int n = 1; ; n++) {
            Path dir = root.resolve(n == 1 ? base : base + "-" + n);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    /** Keeps names portable: letters, digits, dot, dash, underscore. */
    static String safe(String part) {
        String cleaned = part.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() ? "_" : cleaned;
    }
}

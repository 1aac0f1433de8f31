package tfobench.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Measured figures a test wants kept (cases tried, descriptor and heap counts), one line each in
 * {@code target/test-figures/<name>.txt}, so a run's numbers can be quoted without rerunning it.
 */
public final class Figures {
    private static final Path DIR = Path.of("target", "test-figures");
    /** Files this JVM has started: the first line of a run replaces what an earlier run wrote. */
    private static final Set<String> STARTED = new HashSet<>();

    private Figures() {
    }

    public static synchronized void record(String name, String line) {
        try {
            Files.createDirectories(DIR);
            StandardOpenOption mode = STARTED.add(name) ? StandardOpenOption.TRUNCATE_EXISTING
                    : StandardOpenOption.APPEND;
            Files.writeString(DIR.resolve(name + ".txt"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

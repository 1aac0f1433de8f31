package tfobench.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The run folder fixtures under {@code src/test/resources/runs} (see the README there). */
public final class RunFixtures {
    private RunFixtures() {
    }

    /** A fixture folder in place (read only: tools that write must get a {@link #copy}). */
    public static Path path(String name) {
        URL url = RunFixtures.class.getResource("/runs/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture runs/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of a fixture folder under {@code parent}, named as the fixture. */
    public static Path copy(String name, Path parent) {
        Path from = path(name);
        Path to = parent.resolve(name);
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}

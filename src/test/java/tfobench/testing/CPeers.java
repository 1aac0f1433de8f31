package tfobench.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The outside C peers in src/test/c, compiled with gcc on first use into target/c-peers. */
public final class CPeers {
    private static final Path SOURCES = Path.of("src", "test", "c");
    private static final Path OUT = Path.of("target", "c-peers");

    private CPeers() {
    }

    /** Compiles {@code src/test/c/NAME.c} (once per JVM) and returns the binary; fails naming the fix. */
    public static synchronized Path binary(String name) throws IOException, InterruptedException {
        Path binary = OUT.resolve(name);
        Path source = SOURCES.resolve(name + ".c");
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(
                Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Files.createDirectories(OUT);
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("gcc not found, needed to build the outside C peers: apt-get install gcc", e);
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new AssertionError("gcc failed on " + source + ": " + output);
        }
        return binary;
    }
}

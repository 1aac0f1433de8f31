package tfobench.calibration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A C calibration program's source (bundled in the jar) and its build with the machine's gcc: {@code calib.c}, the
 * Java native client's calls in C, or {@code floor.c}, only the seed's calls.
 */
public final class CPeer {
    static final String RESOURCE = "/tfobench/calibration/calib.c";
    static final String FLOOR_RESOURCE = "/tfobench/calibration/floor.c";
    public static final List<String> FLAGS = List.of("-O2", "-pthread");
    public static final List<String> FLOOR_FLAGS = List.of("-O2");

    private final Path binary;
    private final Path source;
    private final String compiler;
    private final String sourceSha256;

    private CPeer(Path binary, Path source, String compiler, String sourceSha256) {
        this.binary = binary;
        this.source = source;
        this.compiler = compiler;
        this.sourceSha256 = sourceSha256;
    }

    /** Why the peer cannot be built here, or empty. */
    public static Optional<String> whyNot() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? Optional.empty() : Optional.of("gcc --version failed");
        } catch (IOException e) {
            return Optional.of("gcc not found (apt-get install gcc)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Writes {@code calib.c} into {@code dir} (kept with the results) and compiles it there. */
    public static CPeer build(Path dir) throws IOException, InterruptedException {
        return build(dir, RESOURCE, FLAGS);
    }

    /** Writes {@code floor.c} into {@code dir} and compiles it there. */
    public static CPeer buildFloor(Path dir) throws IOException, InterruptedException {
        return build(dir, FLOOR_RESOURCE, FLOOR_FLAGS);
    }

    private static CPeer build(Path dir, String resource, List<String> flags) throws IOException, InterruptedException {
        byte[] source;
        try (InputStream in = CPeer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " missing from the jar");
            }
            source = in.readAllBytes();
        }
        Files.createDirectories(dir);
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        Path c = Files.write(dir.resolve(file), source);
        Path binary = dir.resolve(file.substring(0, file.length() - 2));
        List<String> command = new java.util.ArrayList<>(List.of("gcc"));
        command.addAll(flags);
        command.addAll(List.of("-o", binary.toString(), c.toString()));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IOException("gcc failed on " + file + ": " + output.trim());
        }
        return new CPeer(binary, c, version(), sha256(source));
    }

    public Path binary() {
        return binary;
    }

    /** The source file written beside the binary. */
    public Path source() {
        return source;
    }

    public String compiler() {
        return compiler;
    }

    public String sourceSha256() {
        return sourceSha256;
    }

    private static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElse("gcc");
        p.waitFor();
        return first;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

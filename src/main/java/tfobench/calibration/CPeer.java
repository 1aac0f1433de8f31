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

/** The C calibration peer's source (bundled in the jar) and its build with the machine's gcc. */
public final class CPeer {
    static final String RESOURCE = "/tfobench/calibration/calib.c";
    public static final List<String> FLAGS = List.of("-O2", "-pthread");

    private final Path binary;
    private final String compiler;
    private final String sourceSha256;

    private CPeer(Path binary, String compiler, String sourceSha256) {
        this.binary = binary;
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

    /** Writes the source into {@code dir} (kept with the results) and compiles it there. */
    public static CPeer build(Path dir) throws IOException, InterruptedException {
        byte[] source;
        try (InputStream in = CPeer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " missing from the jar");
            }
            source = in.readAllBytes();
        }
        Files.createDirectories(dir);
        Path c = Files.write(dir.resolve("calib.c"), source);
        Path binary = dir.resolve("calib");
        List<String> command = new java.util.ArrayList<>(List.of("gcc"));
        command.addAll(FLAGS);
        command.addAll(List.of("-o", binary.toString(), c.toString()));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IOException("gcc failed on the calibration peer: " + output.trim());
        }
        return new CPeer(binary, version(), sha256(source));
    }

    public Path binary() {
        return binary;
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

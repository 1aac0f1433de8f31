package tfobench.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tool of the jar ({@code tfobench.cli.Main}) in a child JVM on the test classpath, as a user would start it:
 * it inherits the test JVM's private namespace.
 */
public final class JarTool implements AutoCloseable {
    private final Process process;
    private final BufferedReader stdout;
    private final List<String> lines = new ArrayList<>();

    private JarTool(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static JarTool start(String... args) throws IOException {
        return start(List.of(), List.of(), null, args);
    }

    /**
     * @param prefix   command words before java (e.g. taskset -c 0)
     * @param jvmArgs  JVM options (e.g. -Dtfobench.results=...)
     * @param workDir  working directory, or null for this JVM's
     */
    public static JarTool start(List<String> prefix, List<String> jvmArgs, Path workDir, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djmh.ignoreLock=true"); // functional checks: another JMH run on the machine must not block them
        command.add("-Dtfobench.calibration=false");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString());
        command.add("tfobench.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        return new JarTool(builder.start());
    }

    /** Any command (e.g. a shell script running several tools), its output read like a tool's. */
    public static JarTool startCommand(List<String> command, Path workDir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        return new JarTool(builder.start());
    }

    /** Reads output lines until one contains {@code marker}; fails if the process ends or 30 s pass first. */
    public String awaitLine(String marker) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = stdout.readLine();
            if (line == null) {
                throw new AssertionError("process ended before printing '" + marker + "'; output: " + lines);
            }
            lines.add(line);
            if (line.contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("no '" + marker + "' within 30 s; output: " + lines);
    }

    /** Waits for the process to end by itself and returns its exit status with all output read. */
    public int awaitExit() throws IOException, InterruptedException {
        String line;
        while ((line = stdout.readLine()) != null) {
            lines.add(line);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process still running; output: " + lines);
        }
        return process.exitValue();
    }

    public List<String> lines() {
        return lines;
    }

    /** The process's id (with an {@code unshare} prefix: the process inside the new namespaces). */
    public long pid() {
        return process.pid();
    }

    /** Writes one line to the process's standard input. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

package tfobench.calibration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A C server process (calib or floor) that prints {@code port N} once it listens; stopped on close. Its CPU time is
 * the sum of its threads' {@code /proc/PID/task/TID/schedstat} first fields (the scheduler's run time in nanoseconds,
 * the same clock the Java side's thread CPU clocks read).
 */
final class CServerProcess implements AutoCloseable {
    final String address;
    final int port;
    private final Process process;

    CServerProcess(List<String> command, String address) throws IOException {
        this.address = address;
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (line == null || !line.startsWith("port ")) {
            process.destroyForcibly();
            throw new IOException("C server " + command.get(0) + " did not start: " + line);
        }
        port = Integer.parseInt(line.substring(5).trim());
    }

    /** CPU time of all the server's threads so far, nanoseconds. */
    long cpuNanos() throws IOException {
        long total = 0;
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII).trim();
                    total += Long.parseLong(schedstat.split(" ")[0]);
                } catch (NoSuchFileException gone) {
                    // a thread that ended meanwhile (the C servers' threads never do)
                }
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

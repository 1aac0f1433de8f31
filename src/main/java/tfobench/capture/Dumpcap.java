package tfobench.capture;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wireshark's capture engine as a child process: {@code dumpcap -i IFACE -f FILTER -w FILE}, stopped with
 * SIGTERM. It works inside the private user namespace a non-root run makes (the namespace's root may open packet
 * sockets on the namespace's own interfaces), writes pcapng with nanosecond timestamps, the interface's name and a
 * capture comment, and does not drop privileges to another user on its own (Debian's tcpdump does, and fails in
 * such a namespace: it cannot change the owner of its file there, nor call setgroups).
 *
 * <p>Ready means its capture socket is open with the filter attached: dumpcap prints {@code File: NAME} only
 * after that. Packets reach the file in batches (the socket's ring hands over a block at a time, dumpcap
 * flushes its output now and then): SIGTERM right after the last exchange left the file empty here, so
 * {@link #stop()} first makes sure the last packet is in the file.
 */
public final class Dumpcap implements AutoCloseable {
    /** The Debian/Ubuntu package with dumpcap (tshark depends on it). */
    public static final String PACKAGE = "wireshark-common";
    public static final String FIX = "apt-get install " + PACKAGE + " (Debian/Ubuntu: dumpcap; or tshark, which "
            + "brings it)";
    private static final Pattern CAPTURED = Pattern.compile("Packets captured: (\\d+)");
    private static final Pattern DROPPED = Pattern.compile("Packets received/dropped on interface '[^']*': "
            + "(\\d+)/(\\d+)");
    private static final long READY_SECONDS = 20;

    private static final Duration MARKER_WAIT = Duration.ofSeconds(15);

    private final Process process;
    private final Path file;
    private final DatagramSocket marker;
    private final List<String> stderr = new ArrayList<>();
    private final Thread reader;

    private Dumpcap(Process process, Path file, DatagramSocket marker) {
        this.process = process;
        this.file = file;
        this.marker = marker;
        this.reader = new Thread(this::readStderr, "dumpcap-stderr");
        this.reader.setDaemon(true);
    }

    /** The dumpcap executable on PATH, if any. */
    public static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "dumpcap");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** One line naming the package when dumpcap is missing; empty when it is there. */
    public static Optional<String> whyNot() {
        return find().isPresent() ? Optional.empty() : Optional.of("dumpcap not found on PATH: " + FIX);
    }

    /** {@code dumpcap --version}'s first line. */
    public static String version() throws IOException, InterruptedException {
        Path exe = find().orElseThrow(() -> new IOException("dumpcap not found on PATH: " + FIX));
        Process p = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElse("dumpcap").trim().replaceAll("\\.$", "");
        p.waitFor(10, TimeUnit.SECONDS);
        return first;
    }

    /**
     * Starts capturing and returns once dumpcap's socket is open and filtering.
     *
     * @param file      the pcapng file to write (pcap if its name ends in {@code .pcap})
     * @param iface     {@code lo} in the private namespace, {@code any} for a probe of any server
     * @param filter    a capture filter in libpcap syntax (dumpcap also gets the marker datagrams {@link #stop()}
     *                  sends on loopback)
     * @param comment   the capture comment stored in the file (pcapng only)
     * @throws IOException with dumpcap's own words when it cannot capture (missing, no permission, bad filter)
     */
    public static Dumpcap start(Path file, String iface, String filter, String comment) throws IOException {
        Path exe = find().orElseThrow(() -> new IOException("dumpcap not found on PATH: " + FIX));
        DatagramSocket marker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        String withMarker = "(" + filter + ") or (udp and host " + InetAddress.getLoopbackAddress().getHostAddress()
                + " and port " + marker.getLocalPort() + ")";
        List<String> command = new ArrayList<>(List.of(exe.toString(), "-i", iface, "-f", withMarker, "-w",
                file.toString()));
        if (file.getFileName().toString().endsWith(".pcap")) {
            command.add("-P");
        } else if (comment != null && !comment.isBlank()) {
            command.addAll(List.of("--capture-comment", comment));
        }
        Files.deleteIfExists(file); // dumpcap would refuse nothing, but a stale file must not be read as this one
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            marker.close();
            throw e;
        }
        Dumpcap d = new Dumpcap(process, file, marker);
        d.reader.start();
        try {
            d.awaitReady();
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                for (String part : line.split("\r")) { // packet counts are rewritten in place with \r
                    synchronized (stderr) {
                        stderr.add(part.trim());
                        stderr.notifyAll();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        } finally {
            synchronized (stderr) {
                stderr.add(null);
                stderr.notifyAll();
            }
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        synchronized (stderr) {
            while (true) {
                for (String line : stderr) {
                    if (line == null) {
                        throw new IOException("dumpcap could not capture: " + said());
                    }
                    if (line.startsWith("File: ")) {
                        return;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("dumpcap did not start capturing within " + READY_SECONDS + " s: " + said());
                }
                try {
                    stderr.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while dumpcap started");
                }
            }
        }
    }

    /** What dumpcap printed, on one line, without its progress and banner lines. */
    private String said() {
        synchronized (stderr) {
            StringBuilder s = new StringBuilder();
            for (String line : stderr) {
                if (line != null && !line.isEmpty() && !line.startsWith("Capturing on") && !line.startsWith("File:")
                        && !line.startsWith("Packets:")) {
                    s.append(s.length() == 0 ? "" : " ").append(line);
                }
            }
            return s.length() == 0 ? "exit status " + (process.isAlive() ? "none yet" : process.exitValue())
                    : s.toString();
        }
    }

    public Path file() {
        return file;
    }

    /**
     * What dumpcap said when it stopped; -1 where it did not say (its closing counts are not always printed when
     * SIGTERM arrives mid-write: count the file's frames instead).
     */
    public record Stats(long captured, long received, long dropped) {
    }

    /**
     * Stops the capture once everything sent before this call is in the file (marker datagrams every 100 ms until
     * one is there: packets reach the file in capture order), then SIGTERM, and returns dumpcap's counts.
     */
    public Stats stop() throws IOException, InterruptedException {
        awaitMarkerInFile();
        marker.close();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("dumpcap did not stop within 15 s of SIGTERM");
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        long captured = -1;
        long received = -1;
        long dropped = -1;
        synchronized (stderr) {
            for (String line : stderr) {
                if (line == null) {
                    continue;
                }
                Matcher c = CAPTURED.matcher(line);
                if (c.find()) {
                    captured = Long.parseLong(c.group(1));
                }
                Matcher d = DROPPED.matcher(line);
                if (d.find()) {
                    received = Long.parseLong(d.group(1));
                    dropped = Long.parseLong(d.group(2));
                }
            }
        }
        if (process.exitValue() != 0) {
            throw new IOException("dumpcap failed (exit status " + process.exitValue() + "): " + said());
        }
        return new Stats(captured, received, dropped);
    }

    private void awaitMarkerInFile() throws IOException, InterruptedException {
        byte[] nonce = ("tfo-bench capture marker " + Long.toHexString(ThreadLocalRandom.current().nextLong()))
                .getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + MARKER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            marker.send(new DatagramPacket(nonce, nonce.length, marker.getLocalSocketAddress()));
            Thread.sleep(100);
            for (Frame f : CaptureFile.readAvailable(file)) {
                if (contains(f.data(), nonce)) {
                    return;
                }
            }
            if (!process.isAlive()) {
                throw new IOException("dumpcap stopped on its own: " + said());
            }
        }
        throw new IOException("dumpcap did not write the capture's last packets to " + file + " within "
                + MARKER_WAIT.toSeconds() + " s");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        marker.close();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

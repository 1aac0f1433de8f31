package tfobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tfobench.Transport;
import tfobench.linux.ErrnoException;
import tfobench.linux.Syscalls;
import tfobench.report.EnvironmentSnapshot;
import tfobench.server.CalcServer;
import tfobench.server.ListenerOptions;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Figures;
import tfobench.testing.JarTool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast open key is the server's cookie secret: whoever knows it can forge cookies. With a known key in force
 * (the namespace's {@code tcp_fastopen_key}, and one set on a listener with {@code TCP_FASTOPEN_KEY}), the server,
 * probe, churn tool and benchmark launcher run, and neither their output nor any file they wrote contains the key
 * in any spelling: the sysctl's text, its 8-digit groups, hex without dashes, either case, the raw bytes in
 * either byte order, base64.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FastOpenKeySecrecyTest {
    /** Hex digits only, as the sysctl takes them; every group distinct so a partial leak is caught too. */
    private static final String NAMESPACE_KEY = "5ec7e7a1-c0ffee42-0badf00d-1dea5eed";
    private static final byte[] LISTENER_KEY = HexFormat.of().parseHex("a5a4a3a2f1f2f3f4b0b1b2b3c7c6c5c4");

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void namespaceKeyAppearsInNoOutputAndNoResultFile(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString();
        String tool = java + " -cp " + cp + " tfobench.cli.Main";
        String script = String.join("\n",
                "set -e",
                "echo " + NAMESPACE_KEY + " > /proc/sys/net/ipv4/tcp_fastopen_key",
                "ip link set lo up",
                "echo 3 > /proc/sys/net/ipv4/tcp_fastopen",
                tool + " server --tfo --bind 127.0.0.1 --port 8080 > " + dir.resolve("server.log") + " 2>&1 &",
                "server=$!",
                "for i in $(seq 300); do grep -q 'listening on' " + dir.resolve("server.log") + " && break; "
                        + "sleep 0.1; done",
                tool + " probe --count 3 127.0.0.1:8080",
                tool + " churn --connections 500 --handshake tfo",
                // another JMH on a shared machine holds /tmp/jmh.lock: this run measures nothing worth guarding
                java + " -Djmh.ignoreLock=true -Dtfobench.results=" + dir.resolve("runs") + " -cp " + cp
                        + " tfobench.cli.Main FirstRequest "
                        + "-p handshake=tfo -p transport=native -p placement=none -f 1 -wi 0 -i 1 -r 200ms",
                "kill $server; wait $server || true",
                // Proof that the key was the one in force, without printing it.
                "[ \"$(cat /proc/sys/net/ipv4/tcp_fastopen_key)\" = " + NAMESPACE_KEY + " ] && echo key-was-in-force");
        List<String> output;
        try (JarTool run = JarTool.startCommand(List.of("unshare", "--net", "sh", "-c", script), dir)) {
            int status = run.awaitExit();
            output = run.lines();
            assertEquals(0, status, String.join("\n", output));
        }
        String console = String.join("\n", output);
        assertTrue(console.contains("key-was-in-force"), console);
        assertTrue(console.contains("* 3 requests, 2 with SYN data acked"), console);
        assertTrue(console.contains("tfo: 500 connections, 500 answered right, 0 errors"), console);
        assertTrue(console.contains("1 benchmark(s) measured, 0 failed"), console);

        List<String> forms = spellings(namespaceKeyBytes(), NAMESPACE_KEY);
        assertNoneContains("console output", console.getBytes(StandardCharsets.ISO_8859_1), forms);
        List<Path> files = filesUnder(dir);
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("environment.json")), files + "");
        for (Path file : files) {
            assertNoneContains(file.toString(), Files.readAllBytes(file), forms);
            assertTrue(!new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("tcp_fastopen_key"),
                    file + " names the key's sysctl");
        }
        Figures.record("secrets", "namespace key set, server/probe/churn/launcher run | " + forms.size()
                + " spellings searched in the console output and " + files.size() + " files | none found");
    }

    @Test
    void listenerKeyAppearsInNoOutputOrErrorMessage(@TempDir Path dir) throws Exception {
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE)
                .withBind(tfobench.testing.Loopback.fresh()))) {
            ListenerOptions.setFastOpenKey(server, LISTENER_KEY, LISTENER_KEY);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.runTool("probe", new String[] {"--count", "3", server.address().getAddress()
                    .getHostAddress() + ":" + server.address().getPort()}, new PrintStream(out, true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, out + "" + err);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("* 3 requests, 2 with SYN data acked"), out + "");
            // A refused key (15 bytes) on a socket of its own: the error names the call and errno, not the bytes.
            int fd = Syscalls.tcpSocket();
            ErrnoException refused;
            try {
                refused = assertThrows(ErrnoException.class, () -> Syscalls.setBytes(fd, Syscalls.IPPROTO_TCP,
                        Syscalls.TCP_FASTOPEN_KEY, java.util.Arrays.copyOf(LISTENER_KEY, 15)));
            } finally {
                Syscalls.closeQuietly(fd);
            }
            Path env = dir.resolve("environment.json");
            EnvironmentSnapshot.write(env, EnvironmentSnapshot.capture("test", Map.of()));

            List<String> forms = spellings(LISTENER_KEY, null);
            assertNoneContains("probe output", out.toByteArray(), forms);
            assertNoneContains("probe errors", err.toByteArray(), forms);
            assertNoneContains("error message", refused.getMessage().getBytes(StandardCharsets.UTF_8), forms);
            assertNoneContains("environment.json", Files.readAllBytes(env), forms);
            Figures.record("secrets", "listener key set with TCP_FASTOPEN_KEY, probe run, a key refused | "
                    + forms.size() + " spellings searched in output, error message, environment.json | none found");
        }
    }

    /** Every way the key could show up: as text in any grouping or case, raw in either byte order, base64. */
    private static List<String> spellings(byte[] raw, String sysctlText) {
        List<String> forms = new ArrayList<>();
        String hex = HexFormat.of().formatHex(raw);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        forms.add(new String(raw, StandardCharsets.ISO_8859_1));
        forms.add(new String(reverseWords(raw), StandardCharsets.ISO_8859_1));
        forms.add(Base64.getEncoder().encodeToString(raw));
        forms.add(HexFormat.of().formatHex(reverseWords(raw)));
        if (sysctlText != null) {
            forms.add(sysctlText);
            for (String group : sysctlText.split("-")) {
                forms.add(group);
                forms.add(group.toUpperCase(Locale.ROOT));
            }
        }
        for (int i = 0; i < 16; i += 4) {
            forms.add(HexFormat.of().formatHex(raw, i, i + 4));
        }
        return forms;
    }

    /** The sysctl prints the key as four host-order 32-bit words: these are the bytes behind the text. */
    private static byte[] namespaceKeyBytes() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (String group : NAMESPACE_KEY.split("-")) {
            b.putInt((int) Long.parseLong(group, 16));
        }
        return b.array();
    }

    private static byte[] reverseWords(byte[] raw) {
        byte[] out = new byte[raw.length];
        for (int i = 0; i < raw.length; i += 4) {
            for (int k = 0; k < 4; k++) {
                out[i + k] = raw[i + 3 - k];
            }
        }
        return out;
    }

    private static void assertNoneContains(String where, byte[] content, List<String> forms) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        for (String form : forms) {
            assertTrue(!text.contains(form), where + " contains the fast open key (spelling #" + forms.indexOf(form)
                    + ")");
        }
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }
}

package tfobench.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import tfobench.Transport;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Figures;
import tfobench.testing.Loopback;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast open benchmark against a server without fast open (here through {@code -p host=}, as a user pointing
 * it at a misconfigured remote server would), run by JMH with a fork: by default it fails, naming the fallback and
 * its reason; with {@code allowFallback=true} it measures and reports the fallback rate, and nothing as acked.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FallbackReportingTest {
    private static CalcServer plainServer;

    @BeforeAll
    static void serverWithoutFastOpen() throws Exception {
        FastOpenNamespace.require();
        plainServer = Servers.start(ServerConfig.plain(Transport.NATIVE).withBind(Loopback.fresh()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (plainServer != null) {
            plainServer.close();
        }
    }

    @Test
    void fastOpenBenchmarkFailsByDefaultWhenItsRequestsDoNotTravelInTheSyn() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ChainedOptionsBuilder options = tinyRun("false").shouldFailOnError(true);
        assertThrows(RunnerException.class, () -> new Runner(options.build(), OutputFormatFactory.createFormatInstance(
                new PrintStream(console, true, StandardCharsets.UTF_8), VerboseMode.NORMAL)).run());
        String output = console.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("TCP Fast Open fell back on operation 2 (native, tfo): not sent: no cookie "
                + "cached, cookie requested; run with -p allowFallback=true"), output);
        Figures.record("fast-open-faults", "FirstRequest tfo against a server without fast open | allowFallback="
                + "false | benchmark failed: TCP Fast Open fell back ... not sent: no cookie cached, cookie requested");
    }

    @Test
    void withAllowFallbackTheBenchmarkReportsTheFallbackRateAndNothingAsAcked() throws Exception {
        Collection<RunResult> results = new Runner(tinyRun("true").build(), OutputFormatFactory.createFormatInstance(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), VerboseMode.SILENT)).run();
        assertEquals(1, results.size());
        Map<String, Result> metrics = results.iterator().next().getSecondaryResults();
        double ops = metrics.get("tfo.ops").getScore();
        assertTrue(ops > 10, "measured " + ops + " operations");
        assertEquals(1.0, metrics.get("tfo.fallback").getScore(), "every operation fell back");
        assertEquals(1.0, metrics.get("tfo.cookieRequested").getScore(), "and why");
        assertEquals(0.0, metrics.get("tfo.synDataAcked").getScore(), "nothing reported as a fast open");
        assertEquals(0.0, metrics.get("tcpext.TCPFastOpenActive").getScore(), "the kernel agrees");
        Figures.record("fast-open-faults", "FirstRequest tfo against a server without fast open | allowFallback=true "
                + "| " + (long) ops + " ops, tfo.fallback=1.0, tfo.cookieRequested=1.0, tfo.synDataAcked=0.0, "
                + "TCPFastOpenActive=0");
    }

    private static ChainedOptionsBuilder tinyRun(String allowFallback) {
        String host = plainServer.address().getAddress().getHostAddress() + ":" + plainServer.address().getPort();
        return new OptionsBuilder()
                .include(FirstRequestBenchmark.class.getName() + ".firstRequest")
                .param("transport", "native").param("handshake", "tfo").param("placement", "none")
                .param("host", host).param("allowFallback", allowFallback)
                .forks(1).warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .addProfiler(FastOpenEvidenceProfiler.class);
    }
}

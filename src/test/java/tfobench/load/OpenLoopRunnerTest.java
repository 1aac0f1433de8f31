package tfobench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tfobench.Transport;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;
import tfobench.testing.FastOpenNamespace;
import tfobench.testing.Loopback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopRunnerTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void lowRateRunCompletesTheScheduleWithTaggedIntervalsAndEvidence(@TempDir Path dir) throws Exception {
        LoadPoint point = new LoadPoint(Handshake.TFO, Transport.NATIVE, 200, Duration.ofMillis(200),
                Duration.ofSeconds(1), 2, null, false, "none");
        LoadResultsWriter writer = new LoadResultsWriter(dir);
        LoadResult result;
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(Transport.NATIVE).withBind(Loopback.fresh()));
             LoadResultsWriter.IntervalLog log = writer.openLog(point)) {
            result = new OpenLoopRunner(point, server.address(), server.threads(), null).run(log.writer());
        }
        writer.add(result);

        assertEquals(200, result.scheduled());
        assertEquals(200, result.completed(), result.errors().toString());
        assertEquals(0, result.errorCount());
        assertEquals(0, result.notStarted());
        assertTrue(result.keptSchedule(), "achieved " + result.achievedRate() + "/s, start lag p50 "
                + result.startLagMedianNanos() / 1000 + " us");
        assertEquals(Map.of(SynData.ACKED, 200L), result.outcomes());
        assertEquals(1.0, result.synDataAckedShare());
        assertFalse(result.evidenceContradicts());
        long active = result.counters().get("TCPFastOpenActive");
        // Namespace-wide counters over the measured window: exact up to connections in flight at its edges.
        assertTrue(active >= 198 && active <= 202, "TCPFastOpenActive " + active);
        assertEquals(200, result.response().getTotalCount());
        LoadCpu cpu = result.cpu();
        assertEquals(200, cpu.connections());
        assertTrue(cpu.serverMicrosPerConnection() > 0 && cpu.clientMicrosPerConnection() > 0, cpu.toString());
        // 200 connections in about a second cannot have used more than the window on each side's threads
        assertTrue(cpu.serverUtilization() < 1 && cpu.clientUtilization() < 2, cpu.toString());
        assertTrue(Double.isNaN(cpu.serverCoreBusy()), "an unpinned server has no core of its own");
        assertTrue(result.response().getValueAtPercentile(50) >= result.service().getValueAtPercentile(50),
                "latency from intended start is never below latency from actual start");

        Map<String, Long> countsByTag = new HashMap<>();
        HistogramLogReader reader = new HistogramLogReader(dir.resolve("load-none-native-tfo-200.hlog").toFile());
        Histogram interval;
        while ((interval = (Histogram) reader.nextIntervalHistogram()) != null) {
            countsByTag.merge(interval.getTag() == null ? "untagged" : interval.getTag(), interval.getTotalCount(),
                    Long::sum);
        }
        assertEquals(Map.of("untagged", 200L, "service", 200L), countsByTag);
        assertTrue(dir.resolve("load-none-native-tfo-200.hgrm").toFile().length() > 100);
        assertTrue(dir.resolve(LoadResultsWriter.SUMMARY_JSON).toFile().length() > 100);
    }

    @Test
    void impossibleRateIsReportedAsMissedNotMeasuredAsSomethingElse() throws Exception {
        LoadPoint point = new LoadPoint(Handshake.COLD, Transport.NATIVE, 200_000, Duration.ZERO,
                Duration.ofMillis(100), 1, null, false, "none");
        LoadResult result;
        try (CalcServer server = Servers.start(ServerConfig.plain(Transport.NATIVE).withBind(Loopback.fresh()))) {
            result = new OpenLoopRunner(point, server.address()).run(null);
        }
        assertEquals(20_000, result.scheduled());
        assertFalse(result.keptSchedule(), "achieved " + result.achievedRate() + "/s of 200000/s");
        assertTrue(result.achievedRate() < 0.95 * 200_000);
        assertTrue(LoadResultsWriter.status(result).startsWith("MISSED"), LoadResultsWriter.status(result));
        // Behind schedule, latency from intended start grows far beyond the service time.
        assertTrue(result.response().getValueAtPercentile(99) > 10 * result.service().getValueAtPercentile(99));
    }

    @Test
    void coldConnectionsThatCarriedSynDataWouldContradictTheirName() {
        LoadPoint point = new LoadPoint(Handshake.COLD, Transport.NATIVE, 10, Duration.ZERO, Duration.ofSeconds(1),
                1, null, false, "none");
        LoadResult contradicting = new LoadResult(point, 10, 10, Map.of(), 0, 1.0, new Histogram(3),
                new Histogram(3), new Histogram(3), Map.of(SynData.ACKED, 1L, SynData.NOT_SENT, 9L), null, 0,
                null);
        assertTrue(contradicting.evidenceContradicts());
        LoadPoint tfo = new LoadPoint(Handshake.TFO, Transport.NATIVE, 10, Duration.ZERO, Duration.ofSeconds(1),
                1, null, false, "none");
        LoadResult fellBack = new LoadResult(tfo, 10, 10, Map.of(), 0, 1.0, new Histogram(3), new Histogram(3),
                new Histogram(3), Map.of(SynData.ACKED, 9L, SynData.NOT_ACKED, 1L), null, 0,
                null);
        assertTrue(fellBack.evidenceContradicts());
        assertEquals(1, fellBack.fallbacks());
        assertTrue(LoadResultsWriter.status(fellBack).startsWith("EVIDENCE CONTRADICTS TFO"));
    }
}

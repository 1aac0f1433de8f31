package tfobench.report;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvidenceTest {
    private static BenchmarkId firstRequest(String handshake) {
        return new BenchmarkId("tfobench.bench.FirstRequestBenchmark.firstRequest",
                Map.of("handshake", handshake, "transport", "native"));
    }

    private static Evidence evidence(Double acked, Double fallback) {
        return new Evidence(acked, fallback, 0.0, 1000.0, Map.of());
    }

    @Test
    void everySynAckedIsConfirmedForTfoAndTfoConnect() {
        assertEquals(FastOpenCheck.CONFIRMED, evidence(1.0, 0.0).check(firstRequest("tfo")));
        assertEquals(FastOpenCheck.CONFIRMED, evidence(1.0, 0.0).check(firstRequest("tfo-connect")));
    }

    @Test
    void oneOperationInThirtyThousandFallingBackIsAFallback() {
        FastOpenCheck check = evidence(1 - 1 / 30_000.0, 1 / 30_000.0).check(firstRequest("tfo"));

        assertEquals(FastOpenCheck.FALLBACK, check);
        assertFalse(check.comparable());
    }

    @Test
    void aFallbackRateAloneIsAFallback() {
        assertEquals(FastOpenCheck.FALLBACK, evidence(1.0, 0.001).check(firstRequest("tfo-connect")));
    }

    @Test
    void aTfoResultWithoutMetricsHasNoEvidence() {
        assertEquals(FastOpenCheck.NO_EVIDENCE, Evidence.NONE.check(firstRequest("tfo")));
        assertFalse(FastOpenCheck.NO_EVIDENCE.comparable());
    }

    @Test
    void coldAndOtherBenchmarksClaimNothing() {
        assertEquals(FastOpenCheck.NOT_CLAIMED, evidence(0.0, 0.0).check(firstRequest("cold")));
        assertEquals(FastOpenCheck.NOT_CLAIMED, Evidence.NONE.check(
                new BenchmarkId("tfobench.bench.KeepAliveBenchmark.keepAliveRequest", Map.of())));
        assertTrue(FastOpenCheck.NOT_CLAIMED.comparable());
    }

    @Test
    void aBlackholeDetectionDuringTheResultMarksItBlackholeEvenWhereMostSynDataWasAcked() {
        Evidence e = new Evidence(0.4, 0.6, 0.0, 1000.0, Map.of("TCPFastOpenBlackhole", 1.0,
                "TCPFastOpenActive", 400.0));
        assertEquals(FastOpenCheck.BLACKHOLE, e.check(firstRequest("tfo")));
        assertFalse(FastOpenCheck.BLACKHOLE.comparable());
        assertEquals("BLACKHOLE", FastOpenCheck.BLACKHOLE.label());
        assertEquals(FastOpenCheck.NOT_CLAIMED, e.check(firstRequest("cold")), "cold claims nothing to disable");
    }
}

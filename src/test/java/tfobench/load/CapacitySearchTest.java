package tfobench.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tfobench.Transport;
import tfobench.client.Handshake;
import tfobench.client.SynData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capacity search against a made-up server that carries up to a known rate and falls behind above it. */
class CapacitySearchTest {
    private static final CapacitySearch SEARCH = new CapacitySearch(Duration.ofMillis(10));

    @Test
    void doublesPastTheMeasuredRatesThenHalvesTheGapToWithinTenPercentOfTheTrueLimit() throws Exception {
        List<Integer> probed = new ArrayList<>();
        Map<Integer, LoadResult> measured = new TreeMap<>(Map.of(1000, server(1000, 37_000, 100),
                5000, server(5000, 37_000, 100)));
        CapacitySearch.Result found = SEARCH.search(measured, rate -> {
            probed.add(rate);
            return server(rate, 37_000, 100);
        }, 1000);
        assertTrue(found.sustained() <= 37_000 && found.sustained() * CapacitySearch.PRECISION >= 37_000,
                "sustained " + found.sustained() + " after " + probed);
        assertTrue(found.failedAt() > 37_000 && found.failedAt() <= found.sustained() * CapacitySearch.PRECISION,
                "failed at " + found.failedAt());
        assertEquals(List.of(10_000, 20_000, 40_000, 30_000, 35_000), probed.subList(0, 5), "doubling, then halving");
        assertTrue(found.whyFailed().startsWith("missed its schedule"), found.whyFailed());
        assertEquals(found.sustained(), found.sustainedPoint().point().ratePerSecond());
    }

    @Test
    void aTailOverTheBoundIsNotSustainedEvenWhenTheRateIsKept() throws Exception {
        LoadResult slow = server(2000, 1_000_000, 20_000); // keeps any rate, p99 20 ms
        assertTrue(SEARCH.whyNotSustained(slow).matches("p99 200\\d\\d us over the bound of 10000 us"),
                SEARCH.whyNotSustained(slow));
        CapacitySearch.Result found = SEARCH.search(Map.of(), rate -> server(rate, 1_000_000,
                rate <= 3000 ? 100 : 20_000), 1000);
        assertEquals(3000, found.sustained(), found.points().keySet().toString());
        assertTrue(found.whyFailed().startsWith("p99 "), found.whyFailed());
    }

    @Test
    void noSustainedRateSaysZeroAndStopsAtTheBottom() throws Exception {
        CapacitySearch.Result found = SEARCH.search(Map.of(), rate -> server(rate, 0, 100), 1000);
        assertEquals(0, found.sustained());
        assertNull(found.sustainedPoint());
    }

    @Test
    void ratesAreRoundedToTwoSignificantDigits() {
        assertEquals(12_000, CapacitySearch.round(12_345));
        assertEquals(990, CapacitySearch.round(987));
        assertEquals(57, CapacitySearch.round(57));
    }

    /** A point at {@code rate} against a server that completes at most {@code limit} connections a second. */
    private static LoadResult server(int rate, int limit, long p99Micros) {
        LoadPoint point = new LoadPoint(Handshake.COLD, Transport.NATIVE, rate, Duration.ZERO, Duration.ofSeconds(1),
                4, null, false, "cross-cpu");
        long completed = Math.min(rate, limit);
        Histogram response = new Histogram(3);
        response.recordValueWithCount(50_000, Math.max(1, completed * 98 / 100));
        response.recordValueWithCount(p99Micros * 1000, Math.max(1, completed * 2 / 100));
        return new LoadResult(point, rate, completed, Map.of(), rate - completed, 1.0, response, response,
                new Histogram(3), Map.of(SynData.NOT_SENT, completed), null, 0, null);
    }
}

package tfobench.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest connection rate a server sustains: the rate of the fastest point that kept its schedule (at least 95%
 * of the target achieved, every connection started), had no error, no evidence against its handshake, and a p99
 * from intended start within a bound. From the points already run, it doubles the best sustained rate until a point
 * fails, then halves the gap between the best sustained and the slowest failed rate until they are within
 * {@link #PRECISION} of each other. Rates are rounded to two significant digits so the points read well.
 */
public final class CapacitySearch {
    /** The search stops when the failed rate is within this factor of the sustained one. */
    public static final double PRECISION = 1.10;
    static final int HIGHEST_RATE = 2_000_000;

    /** Runs one point at a rate. */
    @FunctionalInterface
    public interface Probe {
        LoadResult run(int rate) throws Exception;
    }

    /**
     * What was found.
     *
     * @param sustained  the highest sustained rate, or 0 when none of the rates tried was sustained
     * @param failedAt   the lowest rate tried above it that was not, or 0 when none failed up to the search's limit
     * @param whyFailed  why that point did not sustain
     * @param points     every point, by rate
     */
    public record Result(int sustained, int failedAt, String whyFailed, Map<Integer, LoadResult> points) {
        public LoadResult sustainedPoint() {
            return points.get(sustained);
        }
    }

    private final Duration maxP99;

    public CapacitySearch(Duration maxP99) {
        this.maxP99 = maxP99;
    }

    /** Why the point does not count as sustained, or null when it does. */
    public String whyNotSustained(LoadResult r) {
        if (r.evidenceContradicts()) {
            return "evidence contradicts the handshake";
        }
        if (r.errorCount() > 0) {
            return r.errorCount() + " errors";
        }
        if (!r.keptSchedule()) {
            return String.format(java.util.Locale.ROOT, "missed its schedule (%.0f%% of target, %d not started)",
                    100 * r.achievedRate() / r.point().ratePerSecond(), r.notStarted());
        }
        long p99 = r.response().getValueAtPercentile(99);
        if (p99 > maxP99.toNanos()) {
            return String.format(java.util.Locale.ROOT, "p99 %.0f us over the bound of %d us", p99 / 1000.0,
                    maxP99.toNanos() / 1000);
        }
        return null;
    }

    /** Searches from the points already measured (may be empty), running more through {@code probe}. */
    public Result search(Map<Integer, LoadResult> measured, Probe probe, int firstRate) throws Exception {
        TreeMap<Integer, LoadResult> points = new TreeMap<>(measured);
        int sustained = 0;
        int failed = 0;
        for (Map.Entry<Integer, LoadResult> p : points.entrySet()) {
            if (whyNotSustained(p.getValue()) == null) {
                sustained = p.getKey();
            }
        }
        for (Map.Entry<Integer, LoadResult> p : points.tailMap(sustained, false).entrySet()) {
            if (whyNotSustained(p.getValue()) != null) {
                failed = p.getKey();
                break;
            }
        }
        if (points.isEmpty()) {
            int rate = firstRate;
            LoadResult r = probe.run(rate);
            points.put(rate, r);
            if (whyNotSustained(r) == null) {
                sustained = rate;
            } else {
                failed = rate;
            }
        }
        while (failed == 0 && sustained > 0 && sustained < HIGHEST_RATE) {
            int rate = round(Math.min(HIGHEST_RATE, sustained * 2L));
            LoadResult r = points.containsKey(rate) ? points.get(rate) : probe.run(rate);
            points.put(rate, r);
            if (whyNotSustained(r) == null) {
                sustained = rate;
            } else {
                failed = rate;
            }
        }
        while (failed > 0 && failed > sustained * PRECISION) {
            int rate = round(sustained == 0 ? failed / 2 : (sustained + failed) / 2);
            if (rate <= sustained || rate >= failed || rate < 1) {
                break; // the two-digit rounding cannot split the gap further
            }
            LoadResult r = points.containsKey(rate) ? points.get(rate) : probe.run(rate);
            points.put(rate, r);
            if (whyNotSustained(r) == null) {
                sustained = rate;
            } else {
                failed = rate;
            }
            if (sustained == 0 && rate <= 1) {
                break;
            }
        }
        return new Result(sustained, failed, failed == 0 ? null : whyNotSustained(points.get(failed)), points);
    }

    /** To two significant digits: 12345 -> 12000, 987 -> 990. */
    static int round(long rate) {
        if (rate < 100) {
            return (int) Math.max(1, rate);
        }
        long scale = 1;
        while (rate / scale >= 100) {
            scale *= 10;
        }
        return (int) (Math.round((double) rate / scale) * scale);
    }
}

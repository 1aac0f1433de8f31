package tfobench.report;

import tfobench.stats.ShiftInterval;

import java.util.Locale;

/** How numbers appear in the reports: latencies in microseconds, ratios, p-values, percentages, counts. */
final class Numbers {
    static final String MISSING = "–";

    private Numbers() {
    }

    /** Microseconds with precision that suits their size: 0.131, 5.57, 25.9, 1,864. */
    static String micros(double us) {
        if (Double.isNaN(us)) {
            return MISSING;
        }
        double magnitude = Math.abs(us);
        if (magnitude < 1) {
            return String.format(Locale.ROOT, "%.3f", us);
        }
        if (magnitude < 10) {
            return String.format(Locale.ROOT, "%.2f", us);
        }
        if (magnitude < 1000) {
            return String.format(Locale.ROOT, "%.1f", us);
        }
        return String.format(Locale.ROOT, "%,.0f", us);
    }

    static String ratio(double ratio) {
        return Double.isNaN(ratio) ? MISSING : String.format(Locale.ROOT, "%.3f", ratio);
    }

    /**
     * {@code 0.871 [0.862, 0.880]}; with too few forks for a 95% interval {@code 0.871 [unbounded]}: the estimate
     * alone would look like a measurement it is not.
     */
    static String ratioWithInterval(ForkComparison c) {
        ShiftInterval i = c.interval();
        return ratio(i.estimate()) + (i.unbounded() ? " [unbounded]"
                : " [" + ratio(i.low()) + ", " + ratio(i.high()) + "]");
    }

    /** A saving's interval in microseconds: {@code [2.91, 3.80]}, or {@code [unbounded]}. */
    static String microsInterval(ShiftInterval i) {
        return i.unbounded() ? "[unbounded]" : "[" + micros(i.low()) + ", " + micros(i.high()) + "]";
    }

    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return MISSING;
        }
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? MISSING : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** A fraction metric such as {@code tfo.synDataAcked}: {@code 1}, {@code 0}, {@code 0.9731}; absent as a dash. */
    static String fraction(Double value) {
        if (value == null) {
            return MISSING;
        }
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        String rounded = String.format(Locale.ROOT, "%.4f", value);
        return rounded.equals("1.0000") || rounded.equals("0.0000") ? Double.toString(value) : rounded;
    }

    static String count(Double value) {
        return value == null ? MISSING : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}

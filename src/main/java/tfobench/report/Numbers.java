package tfobench.report;

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

    /** {@code 0.871 [0.862, 0.880]}, or the ratio alone when there is no interval. */
    static String ratioWithInterval(IterationComparison c) {
        if (Double.isNaN(c.ciLow())) {
            return ratio(c.ratio());
        }
        return ratio(c.ratio()) + " [" + ratio(c.ciLow()) + ", " + ratio(c.ciHigh()) + "]";
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

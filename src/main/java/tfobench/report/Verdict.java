package tfobench.report;

/** The outcome of comparing two results' per-iteration medians (see {@link IterationComparison}). */
public enum Verdict {
    /** Significantly lower latency than the reference. */
    FASTER("faster"),
    /** Significantly higher latency than the reference. */
    SLOWER("slower"),
    /** Within noise: p &ge; 0.05, or the ratio's confidence interval includes 1. */
    WITHIN_NOISE("~"),
    /** Too few iterations to test (fewer than {@value IterationComparison#MIN_ITERATIONS} on a side). */
    NOT_TESTED("n/a");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

package tfobench.report;

/** The outcome of comparing two results fork by fork, judged with the rest of its table ({@link VerdictFamily}). */
public enum Verdict {
    /** Significantly lower latency than the reference, after Holm's correction over the table. */
    FASTER("faster"),
    /** Significantly higher latency than the reference, after Holm's correction over the table. */
    SLOWER("slower"),
    /** The forks could have shown a difference and did not: within the fork-to-fork noise. */
    WITHIN_NOISE("~"),
    /** Not even the most extreme data these fork counts allow would have earned a verdict in this table. */
    TOO_FEW_FORKS("n/a (too few forks)"),
    /** Not compared at all: a fast open claim without evidence on either side, or no latency data. */
    NOT_TESTED("n/a");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

package tfobench.report;

/** What a result's evidence says about a fast open it claims (see {@link Evidence#check}). */
public enum FastOpenCheck {
    /** Not a tfo or tfo-connect result: nothing to check. */
    NOT_CLAIMED(""),
    /** Every operation's SYN data was acknowledged ({@code tfo.synDataAcked} = 1, {@code tfo.fallback} = 0). */
    CONFIRMED("ok"),
    /** Some operations fell back to a normal handshake: the numbers are not TFO's. */
    FALLBACK("FALLBACK"),
    /** The result carries no evidence metrics: it cannot be shown to be TFO. */
    NO_EVIDENCE("NO EVIDENCE"),
    /**
     * The kernel's blackhole detection fired during the result's iterations ({@code TCPFastOpenBlackhole} > 0) and
     * disabled fast open in the namespace: from then on every connection was a plain handshake.
     */
    BLACKHOLE("BLACKHOLE");

    private final String label;

    FastOpenCheck(String label) {
        this.label = label;
    }

    /** The table cell: empty, {@code ok}, {@code FALLBACK}, {@code NO EVIDENCE} or {@code BLACKHOLE}. */
    public String label() {
        return label;
    }

    /** False for a fast open claim the evidence does not back: such a result gets no ratio or verdict. */
    public boolean comparable() {
        return this == NOT_CLAIMED || this == CONFIRMED;
    }
}

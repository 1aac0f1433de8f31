package tfobench.report;

import tfobench.linux.TcpExtCounters;

import java.util.List;

/**
 * The label of fast open results whose numbers include retransmission timeouts. On loopback and veth, with client
 * and server on different CPUs, a fast open server's first data segment can reach the client before the server's
 * own SYN-ACK; the client, still in SYN-SENT, drops it (RFC 793) and the server resends it after a retransmission
 * timeout of at least 200 ms. Nothing else loses packets on loopback, so in a tfo or tfo-connect result every
 * {@code TCPTimeouts} counted during its iterations is, as far as this suite has seen, one such stall
 * (docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md). The result is still a fast open and still true; its tail percentiles
 * and maximum measure the kernel race, not the handshake.
 */
public final class SynAckRace {
    /** The findings document the label points to. */
    public static final String FINDINGS = "docs/FINDINGS-TFO-DATA-BEFORE-SYNACK.md";

    private SynAckRace() {
    }

    /** {@code "3 RTO"} for a fast open result with 3 retransmission timeouts; empty for none, or not fast open. */
    public static String label(boolean fastOpen, Number timeouts) {
        if (!fastOpen || timeouts == null || timeouts.longValue() <= 0) {
            return "";
        }
        return timeouts.longValue() + " RTO";
    }

    /** The label of a JMH result, from its {@code tcpext.TCPTimeouts} metric (absent in older runs: no label). */
    static String label(BenchmarkResult r) {
        return label(Evidence.claimsFastOpen(r.id()), r.evidence().tcpExt().get(TcpExtCounters.TIMEOUTS));
    }

    /** The TFO check cell with the label after it: {@code ok, 3 RTO}. */
    static String checkCell(BenchmarkResult r) {
        String check = r.fastOpenCheck().label();
        String race = label(r);
        return race.isEmpty() ? check : check + ", " + race;
    }

    /** What the label means, for under a table; empty when none of {@code results} has it. */
    static String note(List<BenchmarkResult> results) {
        boolean any = results.stream().anyMatch(r -> !label(r).isEmpty());
        return any ? NOTE + "\n" : "";
    }

    /** The same for the open-loop table. */
    public static final String NOTE = "`N RTO`: the kernel counted N retransmission timeouts (TcpExt `TCPTimeouts`) "
            + "while this fast open result ran; each stalled one connection for at least 200 ms. On loopback and "
            + "veth, with client and server on different CPUs, the server's first data can reach the client before "
            + "its SYN-ACK and be dropped (" + FINDINGS + "). Tail percentiles and maxima of such results measure "
            + "that race; `same-cpu` placement, or `load --rps on`, measures without it.\n";
}

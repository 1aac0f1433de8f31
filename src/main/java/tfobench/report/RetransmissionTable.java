package tfobench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Per result that made connections: how many operations saw a retransmission, how many of the slowest 0.1% they
 * are, and p99 with and without them ({@link RetransmittedOperations}). A result flagged here has its tail set by
 * retransmission timeouts as much as by the handshake it measures.
 */
final class RetransmissionTable {
    static final String METHOD = "Operations whose connection saw a retransmission (the client's `TCP_INFO` after "
            + "the response: a segment of its own retransmitted, or a response segment received twice, i.e. resent "
            + "by the server), recorded per operation in the `.hlog` logs (intervals tagged `retransmitted`). On "
            + "loopback each one waits a retransmission timeout (200 ms or more). `> p99.9`: of the operations slower "
            + "than p99.9, how many were retransmitted. A result whose tail holds them is **flagged**: its p99.9 and "
            + "max are timeouts, not handshakes. `TCPTimeouts` in the Evidence table counts the kernel's timeouts "
            + "over the same iterations (both ends of every connection).";

    private RetransmissionTable() {
    }

    static String render(List<Run> runs) {
        List<String> header = new ArrayList<>();
        if (runs.size() > 1) {
            header.add("run");
        }
        header.addAll(List.of("benchmark", "params", "ops", "retransmitted", "> p99.9: retransmitted / all",
                "p99 us", "p99 without them us", "flag"));
        MarkdownTable table = new MarkdownTable(header.toArray(new String[0]));
        boolean anyRecorded = false;
        for (int i = 0; i < runs.size(); i++) {
            for (BenchmarkResult r : runs.get(i).results()) {
                RetransmittedOperations ro = RetransmittedOperations.of(r);
                if (!ro.recorded()) {
                    continue;
                }
                anyRecorded = true;
                List<String> row = new ArrayList<>();
                if (runs.size() > 1) {
                    row.add(String.valueOf(i + 1));
                }
                row.addAll(List.of(r.id().shortName(), r.id().paramsLabel(), Numbers.count(ro.operations()),
                        Numbers.count(ro.retransmitted()),
                        Numbers.count(ro.retransmittedInTail()) + " / " + Numbers.count(ro.tailOperations()),
                        Numbers.micros(ro.p99Micros()), Numbers.micros(ro.p99WithoutMicros()),
                        ro.affectsTail() ? "**retransmissions in the tail**" : ""));
                table.row(row);
            }
        }
        if (!anyRecorded) {
            return "Not recorded: the latency logs of this run predate the per-operation retransmission record.\n";
        }
        return table.render();
    }
}

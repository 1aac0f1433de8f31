package tfobench.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel's fast open counters over each captured block, against what its requests claim: every tfo and
 * tfo-connect connection counted in {@code TCPFastOpenActive}, every cookie request in
 * {@code TCPFastOpenCookieReqd}, neither for cold and keep-alive.
 */
public final class TcpExtCheck {
    private TcpExtCheck() {
    }

    public static List<String> problems(CaptureIndex index) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> block : index.tcpExt().entrySet()) {
            long connections = index.exchanges().stream().filter(e -> CaptureIndex.block(e).equals(block.getKey()))
                    .mapToInt(CapturedExchange::connection).distinct().count();
            String scenario = block.getKey().substring(0, block.getKey().indexOf(' '));
            long active = block.getValue().getOrDefault("TCPFastOpenActive", 0L);
            long cookieRequests = block.getValue().getOrDefault("TCPFastOpenCookieReqd", 0L);
            String expected;
            boolean ok;
            switch (scenario) {
                case "tfo":
                case "tfo-connect":
                    ok = active == connections;
                    expected = "TCPFastOpenActive " + connections;
                    break;
                case "cookie-request":
                    ok = cookieRequests == connections && active == 0;
                    expected = "TCPFastOpenCookieReqd " + connections + " and TCPFastOpenActive 0";
                    break;
                default:
                    ok = active == 0 && cookieRequests == 0;
                    expected = "TCPFastOpenActive 0 and TCPFastOpenCookieReqd 0";
                    break;
            }
            if (!ok) {
                problems.add(block.getKey() + ": TcpExt counted TCPFastOpenActive " + active
                        + ", TCPFastOpenCookieReqd " + cookieRequests + " for " + connections
                        + " connection(s); expected " + expected);
            }
        }
        return problems;
    }
}

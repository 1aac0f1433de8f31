package tfobench.capture;

import tfobench.client.SynData;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a connection's packets prove, set against what its client's {@code TCP_INFO} said and what its scenario
 * claims. The rules, from RFC 7413 and the kernel's behaviour:
 * <ul>
 *   <li>a fast open SYN ({@code tfo}, {@code tfo-connect}) carries a cookie and the whole request, and the
 *       SYN-ACK acknowledges the data;</li>
 *   <li>a cookie request SYN carries the option without a cookie (kind 34, length 2) and no data, and the SYN-ACK
 *       brings a cookie;</li>
 *   <li>a cold SYN (and a keep-alive connection's) carries no fast open option and no data; a keep-alive connection
 *       has one handshake for all its requests.</li>
 * </ul>
 * Any difference is a problem, never a footnote.
 */
public final class PacketCheck {
    private PacketCheck() {
    }

    /** What the packets say about the SYN, in {@code TCP_INFO}'s words. */
    public static SynData seen(Connection c) {
        TcpSegment syn = c.syn();
        Optional<TcpOption> option = syn.fastOpen();
        if (syn.payloadLength() > 0) {
            if (c.synDataAcknowledged()) {
                return SynData.ACKED;
            }
            return c.synsSent() > 1 ? SynData.SYN_RETRANSMITTED : SynData.NOT_ACKED;
        }
        if (option.isPresent() && option.get().fastOpenCookieRequest()) {
            return SynData.COOKIE_REQUESTED;
        }
        return SynData.NOT_SENT;
    }

    /**
     * Problems with one connection: against the {@code TCP_INFO} of its first request, and (when scenario names
     * one of the suite's) against what that scenario must look like on the wire.
     *
     * @param requests the requests made on this connection, in order (one, except keep-alive)
     */
    public static List<String> problems(Connection c, List<CapturedExchange> requests) {
        List<String> problems = new ArrayList<>();
        CapturedExchange first = requests.get(0);
        TcpSegment syn = c.syn();
        Optional<TcpOption> option = syn.fastOpen();
        SynData seen = seen(c);
        if (seen != first.tcpInfo()) {
            problems.add("the packets show SYN data " + seen.description() + ", TCP_INFO said "
                    + first.tcpInfo().description());
        }
        String synWords = describeSyn(syn);
        switch (first.scenario()) {
            case "cold":
            case "keepalive":
                if (option.isPresent()) {
                    problems.add("a " + first.scenario() + " SYN must carry no fast open option; it carries "
                            + option.get().describe());
                }
                if (syn.payloadLength() > 0) {
                    problems.add("a " + first.scenario() + " SYN must carry no data; it carries "
                            + syn.payloadLength() + " bytes");
                }
                break;
            case "tfo":
            case "tfo-connect":
                if (option.isEmpty() || !option.get().fastOpenCookie()) {
                    problems.add("a fast open SYN must carry a cookie; this one carries " + synWords);
                }
                if (syn.payloadLength() != first.requestBytes()) {
                    problems.add("a fast open SYN must carry the " + first.requestBytes() + "-byte request; it "
                            + "carries " + syn.payloadLength() + " bytes");
                } else if (!c.synDataAcknowledged()) {
                    problems.add("the SYN-ACK does not acknowledge the data in the SYN");
                }
                break;
            case "cookie-request":
                if (option.isEmpty() || !option.get().fastOpenCookieRequest()) {
                    problems.add("a cookie-request SYN must carry the fast open option without a cookie; this one "
                            + "carries " + synWords);
                }
                if (syn.payloadLength() > 0) {
                    problems.add("a cookie-request SYN must carry no data; it carries " + syn.payloadLength()
                            + " bytes");
                }
                if (c.synAck().flatMap(TcpSegment::fastOpen).filter(TcpOption::fastOpenCookie).isEmpty()) {
                    problems.add("the SYN-ACK brings no fast open cookie");
                }
                break;
            default:
                break; // a probe: only the agreement with TCP_INFO is checked
        }
        if (c.synsSent() != 1) {
            problems.add("the client sent its SYN " + c.synsSent() + " times");
        }
        if (c.firstAnswer().isEmpty()) {
            problems.add("no answer from the server in the capture");
        }
        int requestSegments = 0;
        for (TcpSegment s : c.clientData()) {
            requestSegments += s.payloadLength() == first.requestBytes() ? 1 : 0;
        }
        if (requestSegments != requests.size()) {
            problems.add(requests.size() + " request(s) made on this connection, " + requestSegments
                    + " segment(s) of " + first.requestBytes() + " bytes from the client in the capture");
        }
        return problems;
    }

    /** The SYN's fast open option and data, in words: {@code TFO cookie (8 bytes), 79 bytes of data}. */
    public static String describeSyn(TcpSegment syn) {
        String option = syn.fastOpen().map(o -> o.fastOpenCookieRequest() ? "TFO cookie request"
                : "TFO cookie (" + o.fastOpenCookieBytes() + " bytes)").orElse("no fast open option");
        return option + ", " + (syn.payloadLength() == 0 ? "no data" : syn.payloadLength() + " bytes of data");
    }

    /** Every problem of a capture: each connection's, named by block and connection, then the TcpExt ones. */
    public static List<String> problems(List<ExchangeMatch> matches, CaptureIndex index) {
        List<String> all = new ArrayList<>();
        for (ExchangeMatch m : matches) {
            for (String p : m.problems()) {
                all.add(CaptureIndex.block(m.first()) + ", connection " + m.first().connection() + ": " + p);
            }
        }
        all.addAll(TcpExtCheck.problems(index));
        return all;
    }
}

package tfobench.client;

import tfobench.linux.TcpInfo;

/**
 * Whether a request's exchange saw a retransmission, from the client's {@code TCP_INFO} read right after its
 * response: the client resent a segment of its own ({@code tcpi_total_retrans} grew: a SYN, the SYN's data, the
 * request), or the response arrived in more data segments than the one the server writes ({@code tcpi_data_segs_in}
 * grew by more than one: the server resent it, e.g. because the client dropped a first copy that reached it before
 * the SYN-ACK). Either way the operation waited for a retransmission timer. On a reused connection the counters are
 * taken against the previous exchange's.
 */
final class RetransmissionWatch {
    private int totalRetrans;
    private int dataSegsIn;

    /**
     * @param info          the connection's {@code TCP_INFO} after the response
     * @param newConnection true when the request opened this connection (counters start from zero)
     */
    boolean sawRetransmission(TcpInfo info, boolean newConnection) {
        int retransBefore = newConnection ? 0 : totalRetrans;
        int dataBefore = newConnection ? 0 : dataSegsIn;
        totalRetrans = info.totalRetrans();
        dataSegsIn = info.dataSegsIn();
        return totalRetrans > retransBefore || dataSegsIn - dataBefore > 1;
    }
}

package tfobench.client;

import tfobench.protocol.Response;

/**
 * One request's response, with the evidence of how its connection was opened. Owned by the client that made
 * it and overwritten by that client's next exchange (so a benchmark's steady state allocates nothing): copy out
 * what you keep.
 */
public final class Exchange {
    private Response response;
    private SynData synData;
    private int rttMicros;
    private int totalRetrans;
    private boolean retransmitted;

    Exchange set(Response newResponse, SynData newSynData, int newRttMicros, int newTotalRetrans,
                 boolean newRetransmitted) {
        this.response = newResponse;
        this.synData = newSynData;
        this.rttMicros = newRttMicros;
        this.totalRetrans = newTotalRetrans;
        this.retransmitted = newRetransmitted;
        return this;
    }

    /** The parsed response. */
    public Response response() {
        return response;
    }

    /** What happened to data in the SYN on this request's connection. */
    public SynData synData() {
        return synData;
    }

    /** The kernel's smoothed RTT for the connection ({@code tcpi_rtt}). */
    public int rttMicros() {
        return rttMicros;
    }

    /** Retransmitted segments on the connection so far ({@code tcpi_total_retrans}). */
    public int totalRetrans() {
        return totalRetrans;
    }

    /**
     * True when this exchange waited for a retransmission, by either end (see {@link RetransmissionWatch}): on
     * loopback that is a retransmission timeout, 200 ms or more.
     */
    public boolean retransmitted() {
        return retransmitted;
    }

    @Override
    public String toString() {
        return "Exchange{" + response + ", SYN data " + synData.description() + ", rtt " + rttMicros
                + " us, retransmits " + totalRetrans + (retransmitted ? ", waited for a retransmission" : "") + '}';
    }
}

package tfobench.client;

import tfobench.linux.TcpInfo;

/**
 * What happened to the request's bytes and the SYN, read from the client socket's {@code TCP_INFO} after the
 * response: the proof (or disproof) that a fast open took place.
 */
public enum SynData {
    /** The request went in the SYN and the server acknowledged it ({@code tcpi_options & TCPI_OPT_SYN_DATA}). */
    ACKED("acked"),
    /** No fast open was tried: a plain handshake. */
    NOT_SENT("not sent"),
    /** Reused connection: there was no handshake for this request. */
    REUSED("not sent: connection reused"),
    /** No cookie was cached: the SYN carried a cookie request and the data went after the handshake. */
    COOKIE_REQUESTED("not sent: no cookie cached, cookie requested"),
    /** The data went in the SYN but the server acknowledged only the SYN (server TFO off, cookie invalid...). */
    NOT_ACKED("not acked: server did not accept the SYN data (TFO off there, cookie rejected, or its fast open "
            + "queue full)"),
    /** The SYN carrying data was retransmitted (lost, or dropped by a middlebox). */
    SYN_RETRANSMITTED("not acked: SYN with data was retransmitted"),
    /**
     * Fast open was tried, nothing was acknowledged and the kernel gives no reason: it disabled fast open itself
     * (blackhole detection) or is older than 5.5 (no {@code tcpi_fastopen_client_fail}).
     */
    FALLBACK_UNEXPLAINED("not acked: kernel gave no reason (fast open disabled by blackhole detection, "
            + "or kernel older than 5.5)");

    private final String description;

    SynData(String description) {
        this.description = description;
    }

    /** {@code acked}, {@code not sent...} or {@code not acked: reason}, as the probe prints it. */
    public String description() {
        return description;
    }

    public boolean acked() {
        return this == ACKED;
    }

    /** Classifies a connection from its {@code TCP_INFO} right after its first response. */
    public static SynData classify(boolean fastOpenTried, TcpInfo info) {
        if (info.synDataAcked()) {
            return ACKED;
        }
        switch (info.fastopenClientFail()) {
            case TcpInfo.TFO_COOKIE_UNAVAILABLE:
                return COOKIE_REQUESTED;
            case TcpInfo.TFO_DATA_NOT_ACKED:
                return NOT_ACKED;
            case TcpInfo.TFO_SYN_RETRANSMITTED:
                return SYN_RETRANSMITTED;
            default:
                return fastOpenTried ? FALLBACK_UNEXPLAINED : NOT_SENT;
        }
    }
}

package tfobench.linux;

import com.sun.jna.Pointer;

/**
 * The fields of {@code struct tcp_info} (linux/tcp.h) that prove or disprove TCP Fast Open. Mutable and reusable
 * so that reading it on every operation allocates nothing; {@link Syscalls#tcpInfo(int, TcpInfo)} fills it.
 */
public final class TcpInfo {
    /** {@code tcpi_options} bit: the data sent (client) or received (server) in the SYN was acknowledged. */
    public static final int TCPI_OPT_SYN_DATA = 32;
    /**
     * {@code tcpi_options} bit on a server's accepted socket: it was created by a fast open SYN (a "TFO child"),
     * set by kernels from 2025 on; older ones leave it 0 and show only {@link #TCPI_OPT_SYN_DATA}.
     */
    public static final int TCPI_OPT_TFO_CHILD = 128;
    /** {@code tcpi_state} values (include/net/tcp_states.h). */
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    /** {@code tcpi_fastopen_client_fail} values (linux/tcp.h, kernel 5.5+; always 0 on older kernels). */
    public static final int TFO_STATUS_UNSPEC = 0;
    public static final int TFO_COOKIE_UNAVAILABLE = 1;
    public static final int TFO_DATA_NOT_ACKED = 2;
    public static final int TFO_SYN_RETRANSMITTED = 3;

    static final int SIZE = 256;

    private int state;
    private int options;
    private int fastopenClientFail;
    private int retransmits;
    private int rttMicros;
    private int rttVarMicros;
    private int totalRetrans;
    private int segsIn;
    private int dataSegsIn;

    void read(Pointer p, int length) {
        state = p.getByte(0) & 0xff;
        retransmits = p.getByte(2) & 0xff;
        options = p.getByte(5) & 0xff;
        // byte 7: tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2 (LSB first on x86_64)
        fastopenClientFail = (p.getByte(7) >> 1) & 0x3;
        rttMicros = length >= 72 ? p.getInt(68) : 0;
        rttVarMicros = length >= 76 ? p.getInt(72) : 0;
        totalRetrans = length >= 104 ? p.getInt(100) : 0;
        segsIn = length >= 144 ? p.getInt(140) : 0;
        dataSegsIn = length >= 156 ? p.getInt(152) : 0;
    }

    /** {@code tcpi_state}: 1 = ESTABLISHED, 2 = SYN_SENT, ... (include/net/tcp_states.h). */
    public int state() {
        return state;
    }

    public int options() {
        return options;
    }

    /** Data in the SYN was sent and acknowledged by the peer (client), or arrived in the SYN (server). */
    public boolean synDataAcked() {
        return (options & TCPI_OPT_SYN_DATA) != 0;
    }

    /** Why the client's fast open failed, one of {@code TFO_*}; 0 when it did not fail or the kernel cannot say. */
    public int fastopenClientFail() {
        return fastopenClientFail;
    }

    /** Retransmissions of the current unacknowledged segment ({@code tcpi_retransmits}). */
    public int retransmits() {
        return retransmits;
    }

    /** Segments this end retransmitted over the connection's life ({@code tcpi_total_retrans}). */
    public int totalRetrans() {
        return totalRetrans;
    }

    /** Segments received ({@code tcpi_segs_in}, kernel 4.6+; 0 before), counted before the state machine looks. */
    public int segsIn() {
        return segsIn;
    }

    /**
     * Segments received that carried data ({@code tcpi_data_segs_in}, kernel 4.6+; 0 before). The kernel counts a
     * segment when it reaches the socket, before TCP processes it (tcp_v4_rcv: tcp_segs_in), so a data segment that
     * arrived while the client was still in SYN-SENT and was dropped is counted too, and so is its retransmission.
     */
    public int dataSegsIn() {
        return dataSegsIn;
    }

    public int rttMicros() {
        return rttMicros;
    }

    public int rttVarMicros() {
        return rttVarMicros;
    }

    @Override
    public String toString() {
        return "TcpInfo{state=" + state + ", options=0x" + Integer.toHexString(options)
                + ", fastopenClientFail=" + fastopenClientFail + ", rtt=" + rttMicros + "us, rttvar="
                + rttVarMicros + "us, retransmits=" + retransmits + ", totalRetrans=" + totalRetrans
                + ", segsIn=" + segsIn + ", dataSegsIn=" + dataSegsIn + '}';
    }
}

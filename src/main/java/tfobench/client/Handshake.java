package tfobench.client;

import java.util.Locale;

/** How a client opens the connection its request travels on. */
public enum Handshake {
    /** {@code connect()}, then send: a three-way handshake before the request leaves. */
    COLD("cold", false),
    /** {@code sendto(MSG_FASTOPEN)} (Netty: first buffer written before connect): the request rides in the SYN. */
    TFO("tfo", true),
    /** {@code setsockopt(TCP_FASTOPEN_CONNECT)}, {@code connect()}, send: the kernel defers the SYN to the send. */
    TFO_CONNECT("tfo-connect", true),
    /** One connection (opened with a cold handshake) reused, request after request. */
    KEEPALIVE("keepalive", false);

    private final String label;
    private final boolean fastOpen;

    Handshake(String label, boolean fastOpen) {
        this.label = label;
        this.fastOpen = fastOpen;
    }

    /** The name used on command lines and in JMH parameters. */
    public String label() {
        return label;
    }

    /** True when this handshake tries to put the request in the SYN. */
    public boolean fastOpen() {
        return fastOpen;
    }

    public static Handshake fromLabel(String label) {
        String wanted = label.toLowerCase(Locale.ROOT);
        for (Handshake h : values()) {
            if (h.label.equals(wanted)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown handshake '" + label
                + "' (expected cold, tfo, tfo-connect or keepalive)");
    }
}

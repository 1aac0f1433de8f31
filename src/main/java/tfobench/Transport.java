package tfobench;

import java.util.Locale;

/** How a server or client does its I/O. */
public enum Transport {
    /** Blocking system calls through JNA, as the seed's C does: the closest Java gets to the kernel's cost. */
    NATIVE,
    /** Netty's epoll transport, as applications use it. */
    NETTY;

    /** The name used on command lines and in JMH parameters. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Transport fromLabel(String label) {
        for (Transport t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + label + "' (expected native or netty)");
    }
}

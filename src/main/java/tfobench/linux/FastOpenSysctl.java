package tfobench.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code net.ipv4.tcp_fastopen} decoded bit by bit (Documentation/networking/ip-sysctl.rst). The value is per
 * network namespace.
 */
public record FastOpenSysctl(int value) {
    public static final Path PATH = Path.of("/proc/sys/net/ipv4/tcp_fastopen");

    /** 0x1: clients may send data in the SYN (with sendto MSG_FASTOPEN or TCP_FASTOPEN_CONNECT). */
    public static final int CLIENT_ENABLE = 0x1;
    /** 0x2: listeners with the TCP_FASTOPEN option accept data in the SYN. */
    public static final int SERVER_ENABLE = 0x2;
    /** 0x4: clients send SYN data without a cookie. */
    public static final int CLIENT_NO_COOKIE = 0x4;
    /** 0x200: servers accept SYN data without a cookie. */
    public static final int SERVER_COOKIE_NOT_REQUIRED = 0x200;
    /** 0x400: every listener does fast open, without the TCP_FASTOPEN socket option. */
    public static final int SERVER_WITHOUT_SOCKOPT = 0x400;

    private static final int[] BITS = {CLIENT_ENABLE, SERVER_ENABLE, CLIENT_NO_COOKIE, SERVER_COOKIE_NOT_REQUIRED,
        SERVER_WITHOUT_SOCKOPT};

    /** Reads this namespace's value. */
    public static FastOpenSysctl read() throws IOException {
        String text = ProcFs.readSysctl(PATH);
        try {
            return new FastOpenSysctl(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IOException(PATH + ": not a number: '" + text + "'");
        }
    }

    /** Writes this namespace's value: only ever called inside a private namespace ({@link PrivateNetns}). */
    static void write(int value) throws IOException {
        Files.writeString(PATH, Integer.toString(value), StandardCharsets.US_ASCII);
    }

    public boolean clientEnabled() {
        return (value & CLIENT_ENABLE) != 0;
    }

    public boolean serverEnabled() {
        return (value & SERVER_ENABLE) != 0;
    }

    public boolean has(int bit) {
        return (value & bit) != 0;
    }

    /** One line per bit of the value that is set or that this project needs, e.g. {@code 0x2 server: off}. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (int bit : BITS) {
            boolean on = has(bit);
            if (on || bit == CLIENT_ENABLE || bit == SERVER_ENABLE) {
                lines.add(String.format("0x%x %s: %s", bit, meaning(bit), on ? "on" : "off"));
            }
        }
        int unknown = value & ~(CLIENT_ENABLE | SERVER_ENABLE | CLIENT_NO_COOKIE | SERVER_COOKIE_NOT_REQUIRED
                | SERVER_WITHOUT_SOCKOPT);
        if (unknown != 0) {
            lines.add(String.format("0x%x: bits this tool does not know", unknown));
        }
        return Collections.unmodifiableList(lines);
    }

    static String meaning(int bit) {
        switch (bit) {
            case CLIENT_ENABLE: return "client (data in SYN with MSG_FASTOPEN/TCP_FASTOPEN_CONNECT)";
            case SERVER_ENABLE: return "server (TCP_FASTOPEN listeners accept data in SYN)";
            case CLIENT_NO_COOKIE: return "client sends SYN data without a cookie";
            case SERVER_COOKIE_NOT_REQUIRED: return "server accepts SYN data without a cookie";
            case SERVER_WITHOUT_SOCKOPT: return "server: fast open on every listener, no socket option needed";
            default: return "unknown";
        }
    }

    @Override
    public String toString() {
        return "net.ipv4.tcp_fastopen=" + value + " (" + String.join("; ", describe()) + ")";
    }
}

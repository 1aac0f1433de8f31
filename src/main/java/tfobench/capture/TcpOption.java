package tfobench.capture;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * One TCP option as it travelled (RFC 9293 section 3.1; fast open: RFC 7413 section 4.1.1).
 *
 * @param kind the option kind (2 MSS, 3 window scale, 4 SACK permitted, 8 timestamps, 34 fast open, ...)
 * @param data      the bytes after kind and length (empty for NOP and end of list)
 * @param malformed its length byte was impossible (below 2, or past the header's end): data is what was left
 */
public record TcpOption(int kind, byte[] data, boolean malformed) {
    public static final int END = 0;
    public static final int NOP = 1;
    public static final int MSS = 2;
    public static final int WINDOW_SCALE = 3;
    public static final int SACK_PERMITTED = 4;
    public static final int SACK = 5;
    public static final int TIMESTAMPS = 8;
    /** RFC 7413: length 2 is a cookie request, longer carries a cookie (4 to 16 bytes). */
    public static final int FAST_OPEN = 34;
    /** The experimental option kind; fast open used it with magic 0xF989 before kind 34 was assigned. */
    public static final int EXPERIMENTAL = 254;
    private static final int FAST_OPEN_MAGIC = 0xF989;

    /** A well-formed option. */
    public TcpOption(int kind, byte[] data) {
        this(kind, data, false);
    }

    /** True for a fast open option without a cookie: the client asks for one (kind 34, length 2). */
    public boolean fastOpenCookieRequest() {
        return fastOpenCookieBytes() == 0;
    }

    /** True for a fast open option carrying a cookie (kind 34, length above 2). */
    public boolean fastOpenCookie() {
        return fastOpenCookieBytes() > 0;
    }

    /** True for either form of the fast open option. */
    public boolean fastOpen() {
        return fastOpenCookieBytes() >= 0;
    }

    /** The cookie's length in bytes, 0 for a cookie request, -1 when this is not a fast open option. */
    public int fastOpenCookieBytes() {
        if (malformed) {
            return -1;
        }
        if (kind == FAST_OPEN) {
            return data.length;
        }
        if (kind == EXPERIMENTAL && data.length >= 2
                && (((data[0] & 0xFF) << 8) | (data[1] & 0xFF)) == FAST_OPEN_MAGIC) {
            return data.length - 2;
        }
        return -1;
    }

    /** The cookie in hex, as Wireshark prints it ({@code 1cf521655382fb70}); empty for a request. */
    public String fastOpenCookieHex() {
        int bytes = fastOpenCookieBytes();
        if (bytes <= 0) {
            return "";
        }
        return HexFormat.of().formatHex(data, data.length - bytes, data.length);
    }

    /** The maximum segment size, or -1 when this is not a well-formed MSS option. */
    public int mss() {
        return kind == MSS && data.length == 2 ? ((data[0] & 0xFF) << 8) | (data[1] & 0xFF) : -1;
    }

    /** Short name and value, in the words of Wireshark's option summary ({@code MSS 65495}, {@code WS 7}...). */
    public String describe() {
        if (malformed) {
            return malformedText();
        }
        switch (kind) {
            case END:
                return "EOL";
            case NOP:
                return "NOP";
            case MSS:
                return mss() >= 0 ? "MSS " + mss() : malformedText();
            case WINDOW_SCALE:
                return data.length == 1 ? "WS " + (data[0] & 0xFF) : malformedText();
            case SACK_PERMITTED:
                return data.length == 0 ? "SACK_PERM" : malformedText();
            case SACK:
                return "SACK (" + data.length / 8 + " blocks)";
            case TIMESTAMPS:
                if (data.length != 8) {
                    return malformedText();
                }
                ByteBuffer b = ByteBuffer.wrap(data);
                return "TS val " + Integer.toUnsignedString(b.getInt()) + " ecr " + Integer.toUnsignedString(b.getInt());
            default:
                if (fastOpenCookieRequest()) {
                    return "TFO cookie request" + (kind == EXPERIMENTAL ? " (experimental kind 254)" : "");
                }
                if (fastOpenCookie()) {
                    return "TFO cookie " + fastOpenCookieHex() + " (" + fastOpenCookieBytes() + " bytes)"
                            + (kind == EXPERIMENTAL ? " (experimental kind 254)" : "");
                }
                return "kind " + kind + " (" + (data.length + 2) + " bytes)";
        }
    }

    private String malformedText() {
        return "kind " + kind + " malformed (" + (data.length + 2) + " bytes)";
    }

    @Override
    public String toString() {
        return describe();
    }
}

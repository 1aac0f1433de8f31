package tfobench.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Byte-level helpers shared by the encoders and decoders: numbers to and from ASCII digits without Strings. */
final class Ascii {
    /** Most digits an operand may have: Long.MAX_VALUE and Long.MIN_VALUE have 19. */
    static final int MAX_DIGITS = 19;

    private Ascii() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** How many bytes {@link #putDecimal} writes for {@code v}, sign included. */
    static int decimalLength(long v) {
        int n = v < 0 ? 2 : 1;
        for (long x = v < 0 ? v : -v; x <= -10; x /= 10) {
            n++;
        }
        return n;
    }

    /** Writes {@code v} in decimal at out's position and advances it; the caller has checked the room. */
    static void putDecimal(ByteBuffer out, long v) {
        int start = out.position();
        int end = start + decimalLength(v);
        long x = v < 0 ? v : -v; // negative magnitude, so Long.MIN_VALUE needs no special case
        int i = end;
        do {
            out.put(--i, (byte) ('0' - (int) (x % 10)));
            x /= 10;
        } while (x != 0);
        if (v < 0) {
            out.put(start, (byte) '-');
        }
        out.position(end);
    }

    /**
     * Parses {@code [+-]?[0-9]{1,19}} in {@code b[from, to)} as a long; anything else, or a value outside the
     * long range, is 400 "bad number in {header}". Accumulates negatively, as Long.parseLong does, so that
     * Long.MIN_VALUE parses.
     */
    static long parseLong(byte[] b, int from, int to, String header) throws ProtocolException {
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        int digits = to - i;
        if (digits < 1 || digits > MAX_DIGITS) {
            throw badNumber(header);
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multMin = limit / 10;
        long acc = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || acc < multMin) {
                throw badNumber(header);
            }
            acc *= 10;
            if (acc < limit + d) {
                throw badNumber(header);
            }
            acc -= d;
        }
        return negative ? acc : -acc;
    }

    private static ProtocolException badNumber(String header) {
        return new ProtocolException(Status.BAD_REQUEST, "bad number in " + header);
    }

    /**
     * True if {@code b[from, to)} equals {@code lower} ignoring ASCII case. {@code lower} holds only lowercase
     * letters, digits and '-', and {@code b} holds no control bytes but tab: then OR-ing 0x20 folds exactly the
     * uppercase letters and maps no other byte onto a character of {@code lower}.
     */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            if ((b[from + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code b[0, length)} starts with {@code prefix}, byte for byte. */
    static boolean startsWith(byte[] b, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code b[from, to)} is one or more ASCII digits. */
    static boolean isDigits(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Input bytes for an error message: quoted, cut to 20 characters, tabs shown as \t. Error path only. */
    static String quote(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder("\"");
        int end = Math.min(to, from + 20);
        for (int i = from; i < end; i++) {
            s.append(b[i] == '\t' ? "\\t" : String.valueOf((char) b[i]));
        }
        return s.append(end < to ? "...\"" : "\"").toString();
    }
}

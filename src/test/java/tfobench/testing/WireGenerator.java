package tfobench.testing;

import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseEncoder;
import tfobench.protocol.Status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded generators for property tests of the wire protocol: requests and responses, the many spellings the
 * grammar allows for one request, and mutations that break them in every way a byte stream can be broken. The
 * same seed gives the same inputs, so a failure names its seed and case and can be replayed.
 */
public final class WireGenerator {
    private static final long[] EDGES = {0, 1, -1, 2, -2, 9, 10, -10, 99, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 32, -(1L << 32),
        3_037_000_499L, 3_037_000_500L, -3_037_000_500L, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L};
    private static final String[] PROBLEM_TEXT = {"CALCULATE", "MATH/1.1", "MATH/2.0", "Operand1", "Operand2",
        "Operator", "Connection", "Keep-Alive", "Close", ":", " ", "\t", "\r", "\n", "\r\n", "\n\n", "\0", "-", "+",
        "9223372036854775808", "-9223372036854775809", "00000000000000000001", "0x10", "1e3", "1.5", "\u00ff", "^"};

    private final SplittableRandom random;

    public WireGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public SplittableRandom random() {
        return random;
    }

    /** Mostly edge values, small numbers and whole-range longs. */
    public long operand() {
        switch (random.nextInt(4)) {
            case 0:
                return EDGES[random.nextInt(EDGES.length)];
            case 1:
                return random.nextInt(2001) - 1000;
            case 2:
                return EDGES[random.nextInt(EDGES.length)] + random.nextInt(5) - 2;
            default:
                return random.nextLong();
        }
    }

    public Operator operator() {
        Operator[] all = Operator.values();
        return all[random.nextInt(all.length)];
    }

    public Request request() {
        return new Request(operand(), operator(), operand(), random.nextBoolean());
    }

    public Response response() {
        Status[] all = Status.values();
        Status status = all[random.nextInt(all.length)];
        if (status == Status.OK) {
            return Response.ok(operand(), random.nextBoolean());
        }
        return Response.error(status, printable(1 + random.nextInt(Response.MAX_ERROR_CHARS)));
    }

    /**
     * {@code request} spelled any way the grammar allows: headers in any order and any case, LF or CRLF per line,
     * spaces and tabs around values, leading zeros and a plus sign, unknown headers, empty lines before the
     * request line, {@code Connection} left out when it is Close. Decodes to {@code request}.
     */
    public byte[] spelling(Request request) {
        List<String> headers = new ArrayList<>();
        headers.add(name("Operand1") + ":" + ows() + number(request.operand1()) + ows());
        headers.add(name("Operator") + ":" + ows() + request.operator().symbol() + ows());
        headers.add(name("Operand2") + ":" + ows() + number(request.operand2()) + ows());
        if (request.keepAlive() || random.nextBoolean()) {
            String value = request.keepAlive() ? "Keep-Alive" : "Close";
            headers.add(name("Connection") + ":" + ows() + caseOf(value) + ows());
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            headers.add("X-" + random.nextInt(1000) + ":" + ows() + printable(random.nextInt(20)).strip());
        }
        Collections.shuffle(headers, new java.util.Random(random.nextLong()));
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(3); i > 0; i--) {
            s.append(eol());
        }
        s.append("CALCULATE MATH/1.1").append(eol());
        for (String h : headers) {
            s.append(h).append(eol());
        }
        return s.append(eol()).toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A valid request in its canonical or another allowed spelling, then broken 1 to 4 times. */
    public byte[] mutatedRequest() {
        byte[] valid = random.nextBoolean() ? RequestEncoder.encode(request()) : spelling(request());
        return mutate(valid);
    }

    /** A valid response, then broken 1 to 4 times. */
    public byte[] mutatedResponse() {
        return mutate(ResponseEncoder.encode(response()));
    }

    /** Any bytes at all, sometimes long. */
    public byte[] garbage() {
        byte[] b = new byte[random.nextInt(random.nextInt(8) == 0 ? 4_000 : 200)];
        random.nextBytes(b);
        return b;
    }

    /** 1 to 4 of: replace, insert, delete, duplicate, truncate, splice in protocol text, pipeline another message. */
    public byte[] mutate(byte[] input) {
        byte[] b = input;
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            switch (random.nextInt(9)) {
                case 0: // replace one byte by any byte
                    if (b.length > 0) {
                        b = b.clone();
                        b[Math.min(at, b.length - 1)] = (byte) random.nextInt(256);
                    }
                    break;
                case 1: // insert a few random bytes
                    b = splice(b, at, 0, randomBytes(1 + random.nextInt(4)));
                    break;
                case 2: // delete a run
                    b = splice(b, at, random.nextInt(Math.max(1, b.length - at + 1)), new byte[0]);
                    break;
                case 3: // duplicate a run (duplicate headers, doubled line ends)
                    int len = random.nextInt(Math.max(1, Math.min(40, b.length - at + 1)));
                    b = splice(b, at, 0, java.util.Arrays.copyOfRange(b, at, at + len));
                    break;
                case 4: // truncate
                    b = java.util.Arrays.copyOf(b, at);
                    break;
                case 5: // splice in text that means something to the parser
                    b = splice(b, at, random.nextInt(3), ascii(PROBLEM_TEXT[random.nextInt(PROBLEM_TEXT.length)]));
                    break;
                case 6: // a long run of one byte (oversize lines, endless empty lines)
                    byte[] run = new byte[random.nextInt(3_000)];
                    java.util.Arrays.fill(run, random.nextBoolean() ? (byte) 'x' : (byte) '\n');
                    b = splice(b, at, 0, run);
                    break;
                case 7: // pipeline a second valid message after this one
                    b = concat(b, RequestEncoder.encode(request()));
                    break;
                default: // change the case of everything
                    b = ascii(new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
                    break;
            }
        }
        return b;
    }

    /** Sizes to cut an input into, as a socket might deliver it: whole, in halves, byte by byte, at random. */
    public int[] cuts(int length) {
        List<Integer> sizes = new ArrayList<>();
        int mode = random.nextInt(4);
        int left = length;
        while (left > 0) {
            int size = mode == 0 ? left : mode == 1 ? 1 : mode == 2 ? Math.max(1, length / 2)
                    : 1 + random.nextInt(Math.min(left, 300));
            size = Math.min(size, left);
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The bytes as a Java string literal, for failure messages. */
    public static String escape(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xFF;
            if (c == '\n') {
                s.append("\\n");
            } else if (c == '\r') {
                s.append("\\r");
            } else if (c == '\t') {
                s.append("\\t");
            } else if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                s.append((char) c);
            } else {
                s.append(String.format("\\u%04x", c));
            }
        }
        return s.append('"').toString();
    }

    private String name(String canonical) {
        return caseOf(canonical);
    }

    private String caseOf(String text) {
        switch (random.nextInt(4)) {
            case 0:
                return text.toLowerCase(Locale.ROOT);
            case 1:
                return text.toUpperCase(Locale.ROOT);
            case 2:
                StringBuilder s = new StringBuilder();
                for (char c : text.toCharArray()) {
                    s.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
                }
                return s.toString();
            default:
                return text;
        }
    }

    private String number(long v) {
        String digits = Long.toString(Math.abs(v));
        if (v == Long.MIN_VALUE) {
            digits = "9223372036854775808";
        }
        int room = 19 - digits.length();
        if (room > 0 && random.nextInt(4) == 0) {
            digits = "0".repeat(1 + random.nextInt(room)) + digits;
        }
        if (v < 0) {
            return "-" + digits;
        }
        return (random.nextInt(4) == 0 ? "+" : "") + digits;
    }

    private String ows() {
        switch (random.nextInt(5)) {
            case 0:
                return "";
            case 1:
                return "\t";
            case 2:
                return "  ";
            default:
                return " ";
        }
    }

    private String eol() {
        return random.nextInt(3) == 0 ? "\r\n" : "\n";
    }

    private String printable(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) (0x20 + random.nextInt(0x7F - 0x20)));
        }
        return s.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        int end = Math.min(b.length, at + remove);
        byte[] out = new byte[at + insert.length + (b.length - end)];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, end, out, at + insert.length, b.length - end);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

package tfobench.protocol;

import java.util.Objects;

/**
 * One CALCULATE request: {@code operand1 operator operand2}, whether the client asked to keep the connection
 * ({@code Connection: Keep-Alive}) for another request, and how many characters of {@code Padding} it carries (a
 * header that only makes the request bigger; the server counts and ignores it; 0 = no Padding header).
 */
public record Request(long operand1, Operator operator, long operand2, boolean keepAlive, int padding) {
    /** The seed request's size: {@code 1 + 1} with {@code Connection: Keep-Alive}, no padding. */
    public static final int SEED_BYTES = 79;
    /** The bytes a Padding header adds besides its value: {@code "Padding: "} and the line end. */
    public static final int PADDING_OVERHEAD = RequestEncoder.PADDING_HEADER_OVERHEAD;
    /**
     * The seed capture's request, the one every benchmark, tool and check sends: {@code 1 + 1} with
     * {@code Connection: Keep-Alive}, {@link #SEED_BYTES} bytes on the wire (grown with {@link #withSize} for
     * {@code -p requestBytes}). Its answer is {@link Response#TWO}.
     */
    public static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    public Request {
        Objects.requireNonNull(operator, "operator");
        if (padding < 0) {
            throw new IllegalArgumentException("padding is a number of characters, got " + padding);
        }
    }

    /** A request without padding. */
    public Request(long operand1, Operator operator, long operand2, boolean keepAlive) {
        this(operand1, operator, operand2, keepAlive, 0);
    }

    /**
     * This request grown to exactly {@code bytes} on the wire with a Padding header, or unchanged when it already
     * has that size. The header adds at least {@link #PADDING_OVERHEAD} bytes, so sizes between the unpadded size and
     * that plus the overhead cannot be made.
     *
     * @throws IllegalArgumentException with one line naming the sizes that can be made
     */
    public Request withSize(int bytes) {
        Request bare = padding == 0 ? this : new Request(operand1, operator, operand2, keepAlive, 0);
        int unpadded = RequestEncoder.encodedLength(bare);
        if (bytes == unpadded) {
            return bare;
        }
        int value = bytes - unpadded - PADDING_OVERHEAD;
        if (value < 1) {
            throw new IllegalArgumentException("a request of " + bytes + " bytes cannot be made: this one is "
                    + unpadded + " bytes unpadded, and a Padding header adds at least " + (PADDING_OVERHEAD + 1)
                    + " (sizes " + unpadded + " or from " + (unpadded + PADDING_OVERHEAD + 1) + " on)");
        }
        return new Request(operand1, operator, operand2, keepAlive, value);
    }
}

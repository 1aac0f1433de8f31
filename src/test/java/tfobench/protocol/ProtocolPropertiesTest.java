package tfobench.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tfobench.Settings;
import tfobench.testing.Figures;
import tfobench.testing.WireGenerator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Properties of parser, formatter and evaluator over seeded random inputs (the seed is in every failure message,
 * so a failing case can be replayed): what is formatted parses back to itself in any spelling the grammar allows
 * and cut into any pieces; the evaluator agrees with exact integer arithmetic; and on 100,000 generated and
 * mutated inputs per decoder nothing escapes but {@link ProtocolException} with a documented status, every call
 * makes progress, and no decoder holds more than its limit of an unfinished message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolPropertiesTest {
    private static final long SEED = Long.parseLong(Settings.SEED.value());
    private static final int MUTATED_INPUTS = 100_000;

    @Test
    void everyRequestParsesBackFromAnySpellingTheGrammarAllowsCutAnywhere() throws ProtocolException {
        WireGenerator gen = new WireGenerator(SEED);
        RequestDecoder decoder = new RequestDecoder();
        for (int i = 0; i < 20_000; i++) {
            final int n = i;
            Request request = gen.request();
            byte[] wire = i % 2 == 0 ? RequestEncoder.encode(request) : gen.spelling(request);
            assertEquals(request, decodeOne(decoder, wire, gen), () -> replay(n, wire));
        }
    }

    @Test
    void everyResponseParsesBackToItselfCutAnywhere() throws ProtocolException {
        WireGenerator gen = new WireGenerator(SEED + 1);
        ResponseDecoder decoder = new ResponseDecoder();
        for (int i = 0; i < 20_000; i++) {
            Response response = gen.response();
            byte[] wire = ResponseEncoder.encode(response);
            assertEquals(wire.length, ResponseEncoder.encodedLength(response));
            ByteBuffer in = ByteBuffer.wrap(wire);
            Response decoded = null;
            for (int size : gen.cuts(wire.length)) {
                in.limit(in.position() + size);
                Response r = decoder.decode(in);
                if (r != null) {
                    decoded = r;
                }
            }
            final int n = i;
            assertEquals(response, decoded, () -> replay(n, wire));
        }
    }

    @Test
    void evaluatorAgreesWithExactArithmetic() {
        WireGenerator gen = new WireGenerator(SEED + 2);
        BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        for (int i = 0; i < 100_000; i++) {
            Request r = gen.request();
            BigInteger a = BigInteger.valueOf(r.operand1());
            BigInteger b = BigInteger.valueOf(r.operand2());
            BigInteger exact;
            boolean byZero = b.signum() == 0 && (r.operator() == Operator.DIVIDE || r.operator() == Operator.REMAINDER);
            switch (r.operator()) {
                case ADD: exact = a.add(b); break;
                case SUBTRACT: exact = a.subtract(b); break;
                case MULTIPLY: exact = a.multiply(b); break;
                case DIVIDE: exact = byZero ? null : a.divide(b); break; // truncates toward zero
                case REMAINDER: exact = byZero ? null : a.remainder(b); break; // sign of the dividend
                default: throw new AssertionError(r.operator());
            }
            Response answer = Calculator.respond(r);
            String what = "seed " + SEED + " case " + i + ": " + r;
            if (byZero) {
                assertEquals(Response.error(Status.UNPROCESSABLE, "division by zero"), answer, what);
            } else if (exact.compareTo(min) < 0 || exact.compareTo(max) > 0) {
                assertEquals(Response.error(Status.UNPROCESSABLE, "result overflows 64 bits"), answer, what);
            } else {
                assertEquals(Response.ok(exact.longValueExact(), r.keepAlive()), answer, what);
            }
        }
    }

    @Test
    void mutatedRequestsOnlyEverFailWithAProtocolException() {
        WireGenerator gen = new WireGenerator(SEED + 3);
        int[] outcomes = new int[2];
        for (int i = 0; i < MUTATED_INPUTS; i++) {
            byte[] input = i % 10 == 0 ? gen.garbage() : gen.mutatedRequest();
            int limit = limitFor(gen);
            outcomes[feed(new RequestDecoder(limit), input, gen, limit, i)]++;
        }
        assertAFairMix(outcomes);
        Figures.record("protocol-properties", "mutated requests | " + MUTATED_INPUTS + " inputs, seed " + SEED
                + " | " + outcomes[0] + " ProtocolException, " + outcomes[1] + " decoded or incomplete, nothing else");
    }

    @Test
    void mutatedResponsesOnlyEverFailWithAProtocolException() {
        WireGenerator gen = new WireGenerator(SEED + 4);
        int[] outcomes = new int[2];
        for (int i = 0; i < MUTATED_INPUTS; i++) {
            byte[] input = i % 10 == 0 ? gen.garbage() : gen.mutatedResponse();
            int limit = limitFor(gen);
            outcomes[feed(new ResponseDecoder(limit), input, gen, limit, i)]++;
        }
        assertAFairMix(outcomes);
        Figures.record("protocol-properties", "mutated responses | " + MUTATED_INPUTS + " inputs, seed " + SEED
                + " | " + outcomes[0] + " ProtocolException, " + outcomes[1] + " decoded or incomplete, nothing else");
    }

    /** The decoder under test, request or response alike. */
    private interface Decoder {
        Object decode(ByteBuffer in) throws ProtocolException;
    }

    private static int feed(RequestDecoder d, byte[] input, WireGenerator gen, int limit, int i) {
        return feed(d::decode, input, gen, limit, i);
    }

    private static int feed(ResponseDecoder d, byte[] input, WireGenerator gen, int limit, int i) {
        return feed(d::decode, input, gen, limit, i);
    }

    /**
     * Feeds the input in random pieces. Returns 0 if it ended in a ProtocolException, 1 if not. Fails on anything
     * else escaping, on a call that returns without a message while input is left (it would loop), on a message
     * from no bytes, and when more than the limit of an unfinished message (plus as many skipped empty lines) has
     * been taken without a message or an error (unbounded buffering).
     */
    private static int feed(Decoder decoder, byte[] input, WireGenerator gen, int limit, int i) {
        ByteBuffer in = ByteBuffer.wrap(input);
        long sinceMessage = 0;
        try {
            for (int size : gen.cuts(input.length)) {
                in.limit(in.position() + size);
                while (in.hasRemaining()) {
                    int before = in.position();
                    Object message = decoder.decode(in);
                    int consumed = in.position() - before;
                    sinceMessage += consumed;
                    if (message == null && in.hasRemaining()) {
                        fail("returned no message with " + in.remaining() + " bytes left: " + replay(i, input));
                    }
                    if (message != null) {
                        if (consumed == 0) {
                            fail("a message from no bytes: " + replay(i, input));
                        }
                        sinceMessage = 0;
                    }
                    if (sinceMessage > 2L * limit + 2) {
                        fail("took " + sinceMessage + " bytes without a message or an error, limit " + limit + ": "
                                + replay(i, input));
                    }
                }
            }
            return 1;
        } catch (ProtocolException e) {
            Status s = e.status();
            if (s != Status.BAD_REQUEST && s != Status.REQUEST_TOO_LARGE && s != Status.VERSION_NOT_SUPPORTED) {
                fail("undocumented status " + s + " from a decoder: " + replay(i, input));
            }
            if (!e.getMessage().matches("[\\x20-\\x7E]{1," + Response.MAX_ERROR_CHARS + "}")) {
                fail("error message is not one short line of ASCII: '" + e.getMessage() + "' " + replay(i, input));
            }
            assertThrows(IllegalStateException.class, () -> decoder.decode(ByteBuffer.wrap(new byte[] {'C'})),
                    () -> "a failed decoder must refuse more input until reset: " + replay(i, input));
            return 0;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(e + " escaped: " + replay(i, input), e);
        }
    }

    private static Request decodeOne(RequestDecoder decoder, byte[] wire, WireGenerator gen)
            throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(wire);
        Request decoded = null;
        for (int size : gen.cuts(wire.length)) {
            in.limit(in.position() + size);
            Request r = decoder.decode(in);
            if (r != null) {
                decoded = r;
            }
        }
        return decoded;
    }

    /** Small limits hit the size checks often; the default one lets most mutated messages through. */
    private static int limitFor(WireGenerator gen) {
        int[] limits = {64, 100, 256, RequestDecoder.DEFAULT_MAX_HEADER_BYTES};
        return limits[gen.random().nextInt(limits.length)];
    }

    /** The mutations must produce both failures and survivors, or the property says little. */
    private static void assertAFairMix(int[] outcomes) {
        if (outcomes[0] < MUTATED_INPUTS / 10 || outcomes[1] < MUTATED_INPUTS / 100) {
            fail("mutations gave " + outcomes[0] + " errors and " + outcomes[1] + " survivors of " + MUTATED_INPUTS);
        }
    }

    private static String replay(int i, byte[] input) {
        return "seed " + SEED + " case " + i + " (replay with -Dtfobench.seed=" + SEED + "): "
                + WireGenerator.escape(input);
    }
}

package tfobench.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tfobench.Settings;
import tfobench.protocol.Calculator;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseDecoder;
import tfobench.testing.Figures;
import tfobench.testing.WireGenerator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server's side of the protocol as both servers drive it ({@link CalcSession}), over seeded random input cut
 * into random pieces and with output buffers of random room: whatever arrives, what goes out is a sequence of
 * valid responses, in request order, every one but the last keeping the connection, and the session closes
 * exactly when the last one says so. For well-formed pipelined requests the answers are the calculator's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CalcSessionPropertyTest {
    private static final long SEED = Long.parseLong(Settings.SEED.value());

    @Test
    void answersWhateverArrivesWithValidResponsesInOrderAndClosesWhenTheLastSaysSo() {
        WireGenerator gen = new WireGenerator(SEED + 10);
        int closed = 0;
        int answers = 0;
        for (int i = 0; i < 20_000; i++) {
            List<Request> pipelined = new ArrayList<>();
            byte[] input;
            switch (i % 3) {
                case 0:
                    input = pipeline(gen, pipelined);
                    break;
                case 1:
                    input = gen.mutate(pipeline(gen, new ArrayList<>()));
                    break;
                default:
                    input = gen.garbage();
            }
            Served served = serve(input, gen);
            List<Response> responses = decodeAll(served.output, i, input);
            answers += responses.size();
            for (int k = 0; k + 1 < responses.size(); k++) {
                assertTrue(responses.get(k).keepAlive(), () -> "an answer before the last closes: " + replay(input));
            }
            if (served.closed) {
                closed++;
                assertFalse(responses.isEmpty(), () -> "closed without an answer: " + replay(input));
                assertFalse(responses.get(responses.size() - 1).keepAlive(), () -> "closed after keep-alive: "
                        + replay(input));
            } else if (!responses.isEmpty()) {
                assertTrue(responses.get(responses.size() - 1).keepAlive(), () -> "said close, kept reading: "
                        + replay(input));
            }
            if (!pipelined.isEmpty()) {
                List<Response> expected = new ArrayList<>();
                for (Request r : pipelined) {
                    Response answer = Calculator.respond(r);
                    expected.add(answer);
                    if (!answer.keepAlive()) {
                        break;
                    }
                }
                assertEquals(expected, responses, () -> replay(input));
            }
        }
        Figures.record("protocol-properties", "server session | 20000 inputs (pipelined, mutated, garbage), seed "
                + SEED + " | " + answers + " answers, " + closed + " connections closed by the server, all valid");
    }

    /** Output of one session and whether it asked to close. */
    private record Served(byte[] output, boolean closed) {
    }

    /** Drives a session the way the native server does: read, serve until it needs input, flush, compact. */
    private static Served serve(byte[] input, WireGenerator gen) {
        CalcSession session = new CalcSession(ServerConfig.DEFAULT_MAX_HEADER_BYTES);
        ByteBuffer in = ByteBuffer.allocate(input.length + 1);
        ByteBuffer out = ByteBuffer.allocate(CalcSession.MAX_RESPONSE_BYTES + gen.random().nextInt(2048));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int offset = 0;
        try {
            for (int size : gen.cuts(input.length)) {
                in.put(input, offset, size);
                offset += size;
                in.flip();
                CalcSession.Next next;
                do {
                    next = session.serve(in, out);
                    sent.write(out.array(), 0, out.position());
                    out.clear();
                } while (next == CalcSession.Next.FLUSH);
                if (next == CalcSession.Next.CLOSE) {
                    return new Served(sent.toByteArray(), true);
                }
                in.compact();
            }
        } catch (RuntimeException e) {
            throw new AssertionError(e + " escaped the session: " + replay(input), e);
        }
        return new Served(sent.toByteArray(), false);
    }

    private static byte[] pipeline(WireGenerator gen, List<Request> requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 1 + gen.random().nextInt(5); n > 0; n--) {
            Request r = gen.request();
            requests.add(r);
            out.writeBytes(gen.random().nextBoolean() ? RequestEncoder.encode(r) : gen.spelling(r));
        }
        return out.toByteArray();
    }

    private static List<Response> decodeAll(byte[] output, int i, byte[] input) {
        List<Response> responses = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(output);
        ResponseDecoder decoder = new ResponseDecoder();
        try {
            while (buffer.hasRemaining()) {
                Response r = decoder.decode(buffer);
                if (r == null) {
                    fail("case " + i + ": half a response at the end of the output for " + replay(input));
                }
                responses.add(r);
            }
        } catch (ProtocolException e) {
            fail("case " + i + ": the server wrote an invalid response (" + e.getMessage() + ") for " + replay(input));
        }
        return responses;
    }

    private static String replay(byte[] input) {
        return "seed " + SEED + ": " + WireGenerator.escape(input);
    }
}

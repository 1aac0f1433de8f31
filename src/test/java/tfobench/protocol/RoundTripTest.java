package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Encoders and decoders agree on random messages, pipelined and cut into random pieces. */
class RoundTripTest {
    private static final long[] EDGES = {0, 1, -1, 9, 10, -10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
        Long.MIN_VALUE + 1, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L};

    private static long operand(Random random) {
        switch (random.nextInt(3)) {
            case 0: return EDGES[random.nextInt(EDGES.length)];
            case 1: return random.nextInt(2001) - 1000;
            default: return random.nextLong();
        }
    }

    @Test
    void everyEncodedRequestDecodesToItself() throws ProtocolException {
        Random random = new Random(20240501);
        Operator[] ops = Operator.values();
        RequestDecoder decoder = new RequestDecoder();
        for (int i = 0; i < 20_000; i++) {
            Request r = new Request(operand(random), ops[random.nextInt(ops.length)], operand(random), random.nextBoolean());
            ByteBuffer in = ByteBuffer.wrap(RequestEncoder.encode(r));
            assertEquals(r, decoder.decode(in));
            assertEquals(0, in.remaining());
        }
    }

    @Test
    void everyEncodedResponseDecodesToItself() throws ProtocolException {
        Random random = new Random(7);
        Status[] statuses = Status.values();
        ResponseDecoder decoder = new ResponseDecoder();
        for (int i = 0; i < 20_000; i++) {
            Status s = statuses[random.nextInt(statuses.length)];
            Response r = s == Status.OK ? Response.ok(operand(random), random.nextBoolean())
                    : Response.error(s, "error " + Long.toHexString(random.nextLong()) + "\tat " + i);
            assertEquals(r, decoder.decode(ByteBuffer.wrap(ResponseEncoder.encode(r))));
        }
    }

    @Test
    void pipelinedRequestsCutIntoRandomPiecesDecodeInOrder() throws ProtocolException {
        Random random = new Random(42);
        List<Request> sent = new ArrayList<>();
        ByteBuffer stream = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < 2_000; i++) {
            Request r = new Request(operand(random), Operator.values()[random.nextInt(5)], operand(random), random.nextBoolean());
            sent.add(r);
            RequestEncoder.encode(r, stream);
        }
        stream.flip();
        List<Request> received = new ArrayList<>();
        RequestDecoder decoder = new RequestDecoder();
        while (stream.hasRemaining()) {
            int piece = Math.min(stream.remaining(), 1 + random.nextInt(200));
            ByteBuffer chunk = stream.slice().limit(piece);
            for (Request r = decoder.decode(chunk); r != null; r = decoder.decode(chunk)) {
                received.add(r);
            }
            stream.position(stream.position() + piece);
        }
        assertEquals(sent, received);
        assertNull(decoder.decode(ByteBuffer.allocate(0)));
    }

    @Test
    void serverAnswersDecodedRequestsWithTheCalculatorsResults() throws ProtocolException {
        String wire = Wire.request("Operand1: -7", "Operator: /", "Operand2: 2", "Connection: Keep-Alive")
                + Wire.request("Operand1: 9223372036854775807", "Operator: +", "Operand2: 1");
        ByteBuffer in = Wire.buffer(wire);
        RequestDecoder decoder = new RequestDecoder();
        assertEquals("MATH/1.1 200 OK\nResult: -3\nConnection: Keep-Alive\n\n",
                Wire.text(ResponseEncoder.encode(Calculator.respond(decoder.decode(in)))));
        assertEquals("MATH/1.1 422 Unprocessable\nError: result overflows 64 bits\nConnection: Close\n\n",
                Wire.text(ResponseEncoder.encode(Calculator.respond(decoder.decode(in)))));
    }
}

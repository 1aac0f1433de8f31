package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RequestEncoderTest {
    @Test
    void encodesTheSeedRequestByteForByte() {
        byte[] wire = RequestEncoder.encode(new Request(1, Operator.ADD, 1, true));
        assertEquals(79, wire.length);
        assertArrayEquals(Wire.bytes(Wire.SEED_REQUEST), wire);
    }

    @Test
    void encodesConnectionCloseWhenNotKeepingAlive() {
        assertEquals("CALCULATE MATH/1.1\nOperand1: 10\nOperator: /\nOperand2: 3\nConnection: Close\n\n",
                Wire.text(RequestEncoder.encode(new Request(10, Operator.DIVIDE, 3, false))));
    }

    @Test
    void encodesExtremeAndNegativeOperands() {
        assertEquals("CALCULATE MATH/1.1\nOperand1: -9223372036854775808\nOperator: *\n"
                        + "Operand2: 9223372036854775807\nConnection: Close\n\n",
                Wire.text(RequestEncoder.encode(new Request(Long.MIN_VALUE, Operator.MULTIPLY, Long.MAX_VALUE, false))));
        assertEquals("CALCULATE MATH/1.1\nOperand1: -7\nOperator: -\nOperand2: 0\nConnection: Keep-Alive\n\n",
                Wire.text(RequestEncoder.encode(new Request(-7, Operator.SUBTRACT, 0, true))));
    }

    @Test
    void encodesEveryOperatorAsItsSymbol() {
        String[] expected = {"+", "-", "*", "/", "%"};
        Operator[] ops = {Operator.ADD, Operator.SUBTRACT, Operator.MULTIPLY, Operator.DIVIDE, Operator.REMAINDER};
        for (int i = 0; i < ops.length; i++) {
            String text = Wire.text(RequestEncoder.encode(new Request(4, ops[i], 2, true)));
            assertTrue(text.contains("\nOperator: " + expected[i] + "\n"), text);
        }
    }

    @Test
    void encodesIntoABufferAtItsPositionAndReturnsTheLength() {
        ByteBuffer out = ByteBuffer.allocate(100);
        out.put(Wire.bytes("abc"));
        int n = RequestEncoder.encode(new Request(1, Operator.ADD, 1, true), out);
        assertEquals(79, n);
        assertEquals(82, out.position());
        assertEquals("abc" + Wire.SEED_REQUEST, Wire.text(out, 0, 82));
    }

    @Test
    void encodesIntoADirectBuffer() {
        ByteBuffer out = ByteBuffer.allocateDirect(79);
        RequestEncoder.encode(new Request(1, Operator.ADD, 1, true), out);
        assertEquals(Wire.SEED_REQUEST, Wire.text(out, 0, 79));
    }

    @Test
    void encodedLengthIsWhatEncodeWrites() {
        assertEquals(79, RequestEncoder.encodedLength(new Request(1, Operator.ADD, 1, true)));
        assertEquals(74, RequestEncoder.encodedLength(new Request(1, Operator.ADD, 1, false)));
        Request largest = new Request(Long.MIN_VALUE, Operator.ADD, Long.MIN_VALUE, true);
        assertEquals(117, RequestEncoder.encodedLength(largest));
        assertEquals(117, RequestEncoder.encode(largest).length);
    }

    @Test
    void refusesATooSmallBufferWithoutWritingAnything() {
        ByteBuffer out = ByteBuffer.allocate(78);
        assertThrows(BufferOverflowException.class, () -> RequestEncoder.encode(new Request(1, Operator.ADD, 1, true), out));
        assertEquals(0, out.position());
        assertEquals(0, out.get(0));
    }

}

package tfobench.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Padding header (docs/PROTOCOL.md, "Padding"): requests of any size from 90 bytes on, counted and ignored. */
class PaddingTest {
    private static final Request SEED = new Request(1, Operator.ADD, 1, true);

    @ParameterizedTest
    @ValueSource(ints = {79, 90, 91, 1000, 1420, 1448, 1449, 4096, 65_000})
    void aRequestGrownToASizeIsExactlyThatManyBytesAndDecodesWithItsPaddingCounted(int size) throws Exception {
        Request grown = SEED.withSize(size);
        byte[] wire = RequestEncoder.encode(grown);
        assertEquals(size, wire.length);
        assertEquals(size == 79 ? 0 : size - 79 - 10, grown.padding());
        Request decoded = new RequestDecoder(Math.max(1024, size)).decode(ByteBuffer.wrap(wire));
        assertEquals(grown, decoded);
        assertEquals(2, Calculator.evaluate(decoded), "the padding changes nothing else");
    }

    @Test
    void thePaddingLineComesLastBeforeTheEmptyLine() {
        assertEquals("CALCULATE MATH/1.1\nOperand1: 1\nOperator: +\nOperand2: 1\nConnection: Keep-Alive\n"
                + "Padding: xxx\n\n", Wire.text(RequestEncoder.encode(SEED.withSize(92))));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 78, 80, 89})
    void sizesThePaddingHeaderCannotReachAreRefusedNamingThoseItCan(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SEED.withSize(size));
        assertEquals("a request of " + size + " bytes cannot be made: this one is 79 bytes unpadded, and a Padding "
                + "header adds at least 11 (sizes 79 or from 90 on)", e.getMessage());
    }

    @Test
    void paddingCountsTowardTheHeaderBlockLimit() {
        byte[] wire = RequestEncoder.encode(SEED.withSize(2000));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new RequestDecoder(1024).decode(ByteBuffer.wrap(wire)));
        assertEquals(Status.REQUEST_TOO_LARGE, e.status());
    }

    @Test
    void aSecondPaddingHeaderIs400LikeAnyRepeatedHeader() {
        String wire = Wire.request("Operand1: 1", "Operator: +", "Operand2: 1", "Padding: x", "padding: y");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new RequestDecoder().decode(Wire.buffer(wire)));
        assertEquals(Status.BAD_REQUEST, e.status());
        assertTrue(e.getMessage().contains("Padding"), e.getMessage());
    }

    @Test
    void anyVisibleCharactersArePaddingAndTheirCountIsTheValueLength() throws Exception {
        String wire = Wire.request("PADDING: \t a b-c!\t", "Operand1: 1", "Operator: +", "Operand2: 1");
        Request r = new RequestDecoder().decode(Wire.buffer(wire));
        assertEquals(6, r.padding(), "'a b-c!' after trimming the spaces and tabs around it");
    }
}

package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseEncoderTest {
    @Test
    void encodesOnePlusOneAnswerByteForByte() {
        assertArrayEquals(Wire.bytes("MATH/1.1 200 OK\nResult: 2\nConnection: Keep-Alive\n\n"),
                ResponseEncoder.encode(Response.ok(2, true)));
    }

    @Test
    void answersTheSeedRequestWithTheDocumentedBytes() throws ProtocolException {
        Request seed = Wire.decodeRequest(Wire.SEED_REQUEST);
        assertEquals(Wire.SEED_RESPONSE, Wire.text(ResponseEncoder.encode(Calculator.respond(seed))));
    }

    @Test
    void encodesConnectionCloseAndNegativeResults() {
        assertEquals("MATH/1.1 200 OK\nResult: -9223372036854775808\nConnection: Close\n\n",
                Wire.text(ResponseEncoder.encode(Response.ok(Long.MIN_VALUE, false))));
        assertEquals("MATH/1.1 200 OK\nResult: 0\nConnection: Close\n\n",
                Wire.text(ResponseEncoder.encode(Response.ok(0, false))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "BAD_REQUEST           | MATH/1.1 400 Bad Request",
        "REQUEST_TOO_LARGE     | MATH/1.1 413 Request Too Large",
        "UNPROCESSABLE         | MATH/1.1 422 Unprocessable",
        "VERSION_NOT_SUPPORTED | MATH/1.1 505 Version Not Supported",
    })
    void encodesErrorsWithStatusLineErrorAndClose(Status status, String statusLine) {
        assertEquals(statusLine + "\nError: something named\nConnection: Close\n\n",
                Wire.text(ResponseEncoder.encode(Response.error(status, "something named"))));
    }

    @Test
    void encodesIntoABufferAtItsPositionAndReturnsTheLength() {
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        out.position(5);
        int n = ResponseEncoder.encode(Response.ok(2, true), out);
        assertEquals(Wire.SEED_RESPONSE.length(), n);
        assertEquals(5 + n, out.position());
        assertEquals(Wire.SEED_RESPONSE, Wire.text(out, 5, 5 + n));
        assertEquals(n, ResponseEncoder.encodedLength(Response.ok(2, true)));
    }

    @Test
    void refusesATooSmallBufferWithoutWritingAnything() {
        Response r = Response.error(Status.BAD_REQUEST, "duplicate header Operand1");
        ByteBuffer out = ByteBuffer.allocate(ResponseEncoder.encodedLength(r) - 1);
        assertThrows(BufferOverflowException.class, () -> ResponseEncoder.encode(r, out));
        assertEquals(0, out.position());
    }

}

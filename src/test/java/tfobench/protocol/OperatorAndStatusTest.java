package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorAndStatusTest {
    @Test
    void operatorsAreWrittenAsTheirWireSymbols() {
        assertEquals('+', Operator.ADD.symbol());
        assertEquals('-', Operator.SUBTRACT.symbol());
        assertEquals('*', Operator.MULTIPLY.symbol());
        assertEquals('/', Operator.DIVIDE.symbol());
        assertEquals('%', Operator.REMAINDER.symbol());
    }

    @Test
    void fromSymbolFindsEachOperator() {
        assertEquals(Operator.ADD, Operator.fromSymbol('+'));
        assertEquals(Operator.SUBTRACT, Operator.fromSymbol('-'));
        assertEquals(Operator.MULTIPLY, Operator.fromSymbol('*'));
        assertEquals(Operator.DIVIDE, Operator.fromSymbol('/'));
        assertEquals(Operator.REMAINDER, Operator.fromSymbol('%'));
    }

    @ParameterizedTest
    @ValueSource(chars = {'^', 'x', ' ', '0', '\u00f7'})
    void fromSymbolRejectsUnknownCharacters(char c) {
        assertThrows(IllegalArgumentException.class, () -> Operator.fromSymbol(c));
    }

    @Test
    void statusesCarryTheirWireCodesAndReasons() {
        assertEquals(200, Status.OK.code());
        assertEquals("OK", Status.OK.reason());
        assertEquals(400, Status.BAD_REQUEST.code());
        assertEquals("Bad Request", Status.BAD_REQUEST.reason());
        assertEquals(408, Status.REQUEST_TIMEOUT.code());
        assertEquals("Request Timeout", Status.REQUEST_TIMEOUT.reason());
        assertEquals(413, Status.REQUEST_TOO_LARGE.code());
        assertEquals("Request Too Large", Status.REQUEST_TOO_LARGE.reason());
        assertEquals(422, Status.UNPROCESSABLE.code());
        assertEquals("Unprocessable", Status.UNPROCESSABLE.reason());
        assertEquals(505, Status.VERSION_NOT_SUPPORTED.code());
        assertEquals("Version Not Supported", Status.VERSION_NOT_SUPPORTED.reason());
    }

    @Test
    void fromCodeFindsEachStatus() {
        assertEquals(Status.OK, Status.fromCode(200));
        assertEquals(Status.BAD_REQUEST, Status.fromCode(400));
        assertEquals(Status.REQUEST_TIMEOUT, Status.fromCode(408));
        assertEquals(Status.REQUEST_TOO_LARGE, Status.fromCode(413));
        assertEquals(Status.UNPROCESSABLE, Status.fromCode(422));
        assertEquals(Status.VERSION_NOT_SUPPORTED, Status.fromCode(505));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 201, 404, 500, -200})
    void fromCodeRejectsUnknownCodes(int code) {
        assertThrows(IllegalArgumentException.class, () -> Status.fromCode(code));
    }

    @Test
    void protocolExceptionCarriesStatusAndMessage() {
        ProtocolException e = new ProtocolException(Status.UNPROCESSABLE, "division by zero");
        assertEquals(Status.UNPROCESSABLE, e.status());
        assertEquals("division by zero", e.getMessage());
        assertEquals("ProtocolException: 422 Unprocessable: division by zero", e.toString());
    }
}

package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalculatorTest {
    private static long eval(long a, char op, long b) throws ProtocolException {
        return Calculator.evaluate(new Request(a, Operator.fromSymbol(op), b, false));
    }

    private static ProtocolException refused(long a, char op, long b) {
        return assertThrows(ProtocolException.class, () -> eval(a, op, b));
    }

    @Test
    void evaluatesEachOperator() throws ProtocolException {
        assertEquals(12, eval(7, '+', 5));
        assertEquals(2, eval(7, '-', 5));
        assertEquals(35, eval(7, '*', 5));
        assertEquals(3, eval(17, '/', 5));
        assertEquals(2, eval(17, '%', 5));
    }

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({"7, 2, 3", "-7, 2, -3", "7, -2, -3", "-7, -2, 3", "1, 3, 0", "-1, 3, 0"})
    void divisionTruncatesTowardZero(long a, long b, long expected) throws ProtocolException {
        assertEquals(expected, eval(a, '/', b));
    }

    @ParameterizedTest(name = "{0} % {1} = {2}")
    @CsvSource({"7, 3, 1", "-7, 3, -1", "7, -3, 1", "-7, -3, -1", "6, 3, 0", "-6, 3, 0"})
    void remainderHasTheSignOfTheDividend(long a, long b, long expected) throws ProtocolException {
        assertEquals(expected, eval(a, '%', b));
    }

    @Test
    void rejectsDivisionByZeroWith422() {
        ProtocolException e = refused(1, '/', 0);
        assertEquals(Status.UNPROCESSABLE, e.status());
        assertEquals("division by zero", e.getMessage());
    }

    @Test
    void rejectsRemainderByZeroWith422() {
        ProtocolException e = refused(1, '%', 0);
        assertEquals(Status.UNPROCESSABLE, e.status());
        assertEquals("division by zero", e.getMessage());
    }

    @Test
    void rejectsZeroDividedByZeroWith422() {
        assertEquals(Status.UNPROCESSABLE, refused(0, '/', 0).status());
    }

    @ParameterizedTest(name = "{0} {1} {2} overflows")
    @CsvSource({
        "9223372036854775807, +, 1",
        "-9223372036854775808, +, -1",
        "-9223372036854775808, -, 1",
        "9223372036854775807, -, -1",
        "0, -, -9223372036854775808",
        "9223372036854775807, *, 2",
        "-9223372036854775808, *, -1",
        "3037000500, *, 3037000500",
        "-9223372036854775808, /, -1",
    })
    void rejectsOverflowWith422(long a, char op, long b) {
        ProtocolException e = refused(a, op, b);
        assertEquals(Status.UNPROCESSABLE, e.status());
        assertEquals("result overflows 64 bits", e.getMessage());
    }

    @Test
    void answersMinValueRemainderMinusOneWithZeroBecauseZeroIsRepresentable() throws ProtocolException {
        assertEquals(0, eval(Long.MIN_VALUE, '%', -1));
    }

    @Test
    void acceptsResultsAtTheEdgesOfTheRange() throws ProtocolException {
        assertEquals(Long.MAX_VALUE, eval(Long.MAX_VALUE - 1, '+', 1));
        assertEquals(Long.MIN_VALUE, eval(-Long.MAX_VALUE, '-', 1));
        assertEquals(Long.MIN_VALUE, eval(Long.MIN_VALUE, '/', 1));
        assertEquals(-Long.MAX_VALUE, eval(Long.MAX_VALUE, '/', -1));
        assertEquals(Long.MIN_VALUE, eval(-4611686018427387904L, '*', 2));
        assertEquals(9223372030926249001L, eval(3037000499L, '*', 3037000499L));
    }

    @Test
    void respondAnswersOkWithTheRequestsKeepAlive() {
        assertEquals(Response.ok(2, true), Calculator.respond(new Request(1, Operator.ADD, 1, true)));
        assertEquals(Response.ok(-6, false), Calculator.respond(new Request(2, Operator.MULTIPLY, -3, false)));
    }

    @Test
    void respondAnswers422ThatClosesTheConnection() {
        Response r = Calculator.respond(new Request(1, Operator.DIVIDE, 0, true));
        assertEquals(Status.UNPROCESSABLE, r.status());
        assertEquals("division by zero", r.error());
        assertFalse(r.keepAlive());
    }
}

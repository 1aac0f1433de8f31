package tfobench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResponseModelTest {
    @Test
    void okResponseHasResultAndNoError() {
        Response r = Response.ok(42, true);
        assertTrue(r.isOk());
        assertEquals(Status.OK, r.status());
        assertEquals(42, r.result());
        assertNull(r.error());
        assertTrue(r.keepAlive());
    }

    @Test
    void errorResponseClosesAndHasNoResult() {
        Response r = Response.error(Status.BAD_REQUEST, "duplicate header Operand1");
        assertFalse(r.isOk());
        assertEquals("duplicate header Operand1", r.error());
        assertEquals(0, r.result());
        assertFalse(r.keepAlive());
    }

    @Test
    void errorFactoryRefusesStatusOk() {
        assertThrows(IllegalArgumentException.class, () -> Response.error(Status.OK, "fine"));
    }

    @Test
    void errorFactoryMakesMessagesWireSafe() {
        assertEquals("two?lines", Response.error(Status.BAD_REQUEST, "two\nlines").error());
        assertEquals("caf?", Response.error(Status.BAD_REQUEST, "caf\u00e9").error());
        assertEquals("padded", Response.error(Status.BAD_REQUEST, "  padded \t").error());
        assertEquals("Unprocessable", Response.error(Status.UNPROCESSABLE, null).error());
        assertEquals("Bad Request", Response.error(Status.BAD_REQUEST, "   ").error());
        assertEquals(Response.MAX_ERROR_CHARS, Response.error(Status.BAD_REQUEST, "x".repeat(5000)).error().length());
    }

    @Test
    void constructorRefusesResponsesTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.OK, 1, "error on OK", true));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 0, "x", true));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 7, "x", false));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 0, null, false));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 0, "", false));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 0, "a\nb", false));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 0, " a", false));
        assertThrows(IllegalArgumentException.class, () -> new Response(Status.BAD_REQUEST, 0, "\u00e9", false));
        assertThrows(NullPointerException.class, () -> new Response(null, 0, null, false));
    }

    @Test
    void requestRefusesNullOperator() {
        assertThrows(NullPointerException.class, () -> new Request(1, null, 1, true));
    }
}

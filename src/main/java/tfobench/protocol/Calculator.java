package tfobench.protocol;

/**
 * Evaluates requests with exact 64-bit arithmetic (Java semantics: division truncates toward zero, the remainder
 * has the sign of the dividend). A result that does not fit in a long, and division or remainder by zero, are 422.
 */
public final class Calculator {
    private Calculator() {
    }

    /**
     * The value of {@code operand1 operator operand2}. 422 on division/remainder by zero and on overflow.
     * {@code Long.MIN_VALUE / -1} overflows (2^63 is not a long); {@code Long.MIN_VALUE % -1} is exactly 0 and is
     * answered as 0: the rule is "422 when the exact result is not representable", and that one is.
     */
    public static long evaluate(Request r) throws ProtocolException {
        long a = r.operand1();
        long b = r.operand2();
        try {
            switch (r.operator()) {
                case ADD:
                    return Math.addExact(a, b);
                case SUBTRACT:
                    return Math.subtractExact(a, b);
                case MULTIPLY:
                    return Math.multiplyExact(a, b);
                case DIVIDE:
                    if (b == 0) {
                        throw divisionByZero();
                    }
                    if (a == Long.MIN_VALUE && b == -1) {
                        throw overflow();
                    }
                    return a / b;
                case REMAINDER:
                    if (b == 0) {
                        throw divisionByZero();
                    }
                    return a % b;
                default:
                    throw new AssertionError(r.operator());
            }
        } catch (ArithmeticException e) {
            throw overflow();
        }
    }

    /** What a server answers: {@code ok(result, r.keepAlive())}, or the 422 error response. */
    public static Response respond(Request r) {
        try {
            return Response.ok(evaluate(r), r.keepAlive());
        } catch (ProtocolException e) {
            return Response.error(e.status(), e.getMessage());
        }
    }

    private static ProtocolException divisionByZero() {
        return new ProtocolException(Status.UNPROCESSABLE, "division by zero");
    }

    private static ProtocolException overflow() {
        return new ProtocolException(Status.UNPROCESSABLE, "result overflows 64 bits");
    }
}

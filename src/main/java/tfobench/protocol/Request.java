package tfobench.protocol;

import java.util.Objects;

/**
 * One CALCULATE request: {@code operand1 operator operand2}, and whether the client asked to keep the connection
 * ({@code Connection: Keep-Alive}) for another request.
 */
public record Request(long operand1, Operator operator, long operand2, boolean keepAlive) {
    /**
     * The seed capture's request, the one every benchmark, tool and check sends: {@code 1 + 1} with
     * {@code Connection: Keep-Alive}, 79 bytes on the wire. Its answer is {@link Response#TWO}.
     */
    public static final Request ONE_PLUS_ONE = new Request(1, Operator.ADD, 1, true);

    public Request {
        Objects.requireNonNull(operator, "operator");
    }
}

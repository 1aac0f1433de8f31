package tfobench.protocol;

import java.util.Objects;

/**
 * One CALCULATE request: {@code operand1 operator operand2}, and whether the client asked to keep the connection
 * ({@code Connection: Keep-Alive}) for another request.
 */
public record Request(long operand1, Operator operator, long operand2, boolean keepAlive) {
    public Request {
        Objects.requireNonNull(operator, "operator");
    }
}

package tfobench.server;

import tfobench.protocol.Calculator;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestDecoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseEncoder;
import tfobench.protocol.Status;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One connection's protocol state, shared by both servers so they answer byte for byte alike: decodes every
 * complete request in the input, appends the responses to the output, and says what the connection does next.
 */
final class CalcSession {
    /** Room a response needs in the output (status line, an error message of bounded length, headers). */
    static final int MAX_RESPONSE_BYTES = 512;

    enum Next {
        /** All complete requests are answered; read more. */
        READ,
        /** The output is nearly full: send it, then call {@link #serve} again with the same input. */
        FLUSH,
        /** Send the output, then close (the client asked for Close, or the request was bad). */
        CLOSE
    }

    private final RequestDecoder decoder;
    private boolean closing;
    /** The last successful answer, reused while answers repeat (immutable), so steady state allocates nothing. */
    private Response lastOk;
    /** The request {@link #lastOk} answers (the decoder hands out the same instance for an equal request). */
    private Request lastRequest;

    CalcSession(int maxHeaderBytes) {
        this.decoder = new RequestDecoder(maxHeaderBytes);
    }

    Next serve(ByteBuffer in, ByteBuffer out) {
        if (closing) {
            return Next.CLOSE;
        }
        while (true) {
            if (out.remaining() < MAX_RESPONSE_BYTES) {
                return Next.FLUSH;
            }
            Response response;
            try {
                Request request = decoder.decode(in);
                if (request == null) {
                    return Next.READ;
                }
                response = answer(request);
            } catch (ProtocolException e) {
                response = Response.error(e.status(), e.getMessage());
            }
            ResponseEncoder.encode(response, out);
            if (!response.keepAlive()) {
                closing = true;
                return Next.CLOSE;
            }
        }
    }

    /**
     * The request deadline passed: appends the 408 {@code answer} (from {@link #requestTimeoutAnswer}) to the output,
     * which must have {@link #MAX_RESPONSE_BYTES} free, and closes the session like any error.
     */
    void expire(Response answer, ByteBuffer out) {
        ResponseEncoder.encode(answer, out);
        closing = true;
    }

    /** The answer to a request not complete within {@code timeout}; a server makes it once. */
    static Response requestTimeoutAnswer(Duration timeout) {
        return Response.error(Status.REQUEST_TIMEOUT, "request not complete within " + timeout.toMillis() + " ms");
    }

    /** Makes the session ready for a new connection (servers keep one per thread). */
    void reset() {
        decoder.reset();
        closing = false;
    }

    private Response answer(Request request) {
        Response last = lastOk;
        if (last != null && lastRequest == request) {
            return last;
        }
        Response response = Calculator.respond(request);
        if (response.isOk()) {
            lastOk = response;
            lastRequest = request;
        }
        return response;
    }

    /** True when the peer's end of stream now would cut a request short. */
    boolean midRequest() {
        return decoder.isMidMessage();
    }

    /**
     * True from the first byte after the last answered request (leading empty lines included) until the next
     * request is complete: the span the request deadline limits.
     */
    boolean requestArriving() {
        return decoder.hasPartialInput();
    }
}

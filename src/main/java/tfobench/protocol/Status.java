package tfobench.protocol;

/** Response status: code and reason phrase exactly as they appear in the status line {@code MATH/1.1 <code> <reason>}. */
public enum Status {
    /** The request was evaluated; the response carries {@code Result:}. */
    OK(200, "OK"),
    /** Malformed request: syntax, missing or duplicate header, bad number, unknown operator, bad Connection. */
    BAD_REQUEST(400, "Bad Request"),
    /** The header block did not arrive in full within the server's request timeout (10 s by default). */
    REQUEST_TIMEOUT(408, "Request Timeout"),
    /** The header block is larger than the server's limit (1024 bytes by default). */
    REQUEST_TOO_LARGE(413, "Request Too Large"),
    /** Well-formed but not computable: division or remainder by zero, or a result outside 64 bits. */
    UNPROCESSABLE(422, "Unprocessable"),
    /** Well-formed request line naming a version other than MATH/1.1. */
    VERSION_NOT_SUPPORTED(505, "Version Not Supported");

    private final int code;
    private final String reason;

    Status(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The status with this code; IllegalArgumentException if the protocol defines none. */
    public static Status fromCode(int code) {
        Status s = forCode(code);
        if (s == null) {
            throw new IllegalArgumentException("unknown status code " + code);
        }
        return s;
    }

    /** Like {@link #fromCode} but null when unknown. */
    static Status forCode(int code) {
        switch (code) {
            case 200: return OK;
            case 400: return BAD_REQUEST;
            case 408: return REQUEST_TIMEOUT;
            case 413: return REQUEST_TOO_LARGE;
            case 422: return UNPROCESSABLE;
            case 505: return VERSION_NOT_SUPPORTED;
            default: return null;
        }
    }
}

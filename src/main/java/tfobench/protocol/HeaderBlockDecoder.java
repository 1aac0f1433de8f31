package tfobench.protocol;

import java.nio.ByteBuffer;

/**
 * What request and response parsing share: cutting a header block (start line, {@code Name: value} lines, empty
 * line) out of a byte stream that arrives in arbitrary pieces. It checks every byte once, counts the block
 * against the size limit as it goes, keeps only the current line (in a fixed scratch array of the limit's size)
 * and hands complete lines to the subclass, which keeps what it needs as primitives.
 *
 * <p>Per byte: printable ASCII and tab are line content; LF, or CR immediately followed by LF, ends a line; any
 * other byte (NUL, controls, a CR not followed by LF, bytes 0x7F-0xFF) is 400. Empty lines before the start line
 * are skipped; they are not part of the header block but are bounded by the same limit, so an endless run of
 * them is 413 rather than a loop that never ends.
 */
abstract class HeaderBlockDecoder<T> {
    private static final byte INVALID = 0;
    private static final byte TEXT = 1;
    private static final byte CR = 2;
    private static final byte LF = 3;
    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 0x20; c <= 0x7E; c++) {
            CLASS[c] = TEXT;
        }
        CLASS['\t'] = TEXT;
        CLASS['\r'] = CR;
        CLASS['\n'] = LF;
    }

    private static final byte[] TOKEN = new byte[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = 1;
            TOKEN[c - 'a' + 'A'] = 1;
        }
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = 1;
        }
        TOKEN['-'] = 1;
    }

    private static final byte[] KEEP_ALIVE = Ascii.bytes("keep-alive");
    private static final byte[] CLOSE = Ascii.bytes("close");

    private final int maxHeaderBytes;
    /** The current line's content, without its line end. Never longer than the block, so never overflows. */
    private final byte[] line;
    private int lineLength;
    /** Bytes consumed in the current phase: skipped empty lines, then (from the start line on) the header block. */
    private int consumed;
    /** A byte of the start line has been consumed: the message has begun. */
    private boolean started;
    private boolean startLineDone;
    private boolean pendingCr;
    private boolean failed;

    HeaderBlockDecoder(int maxHeaderBytes) {
        if (maxHeaderBytes < 1) {
            throw new IllegalArgumentException("maxHeaderBytes must be positive: " + maxHeaderBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.line = new byte[maxHeaderBytes];
    }

    /** The start line (request or status line), complete and without its line end. */
    abstract void startLine(byte[] line, int length) throws ProtocolException;

    /** A header line: name is {@code line[0, nameEnd)}, a checked token; value is {@code line[valueFrom, valueTo)}, trimmed. */
    abstract void header(byte[] line, int nameEnd, int valueFrom, int valueTo) throws ProtocolException;

    /** The empty line ending the block arrived: check the headers and build the message. */
    abstract T endOfBlock() throws ProtocolException;

    /** Forget the headers of the message just built or abandoned. */
    abstract void clearMessage();

    final T decodeBlock(ByteBuffer in) throws ProtocolException {
        if (failed) {
            throw new IllegalStateException("decoder failed on earlier input; reset() it before reuse");
        }
        int pos = in.position();
        final int limit = in.limit();
        try {
            while (pos < limit) {
                if (started && !pendingCr) {
                    pos = copyText(in, pos, limit);
                    if (pos == limit) {
                        break;
                    }
                }
                byte b = in.get(pos++);
                byte cls = CLASS[b & 0xFF];
                if (pendingCr) {
                    if (cls != LF) {
                        throw badRequest("bare CR in header block");
                    }
                    pendingCr = false;
                } else if (cls == TEXT) {
                    if (!started) {
                        started = true;
                        consumed = 0;
                    }
                    count();
                    line[lineLength++] = b;
                    continue;
                } else if (cls == CR) {
                    pendingCr = true;
                } else if (cls == INVALID) {
                    throw invalidByte(b);
                }
                count();
                if (pendingCr || !started) {
                    continue; // CR waiting for its LF, or an empty line before the start line
                }
                T message = lineComplete();
                if (message != null) {
                    return message;
                }
            }
            return null;
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        } finally {
            in.position(pos);
        }
    }

    /** True if some bytes of an unfinished message have been consumed (so EOF now means a truncated message). */
    public boolean isMidMessage() {
        return started;
    }

    /**
     * True if bytes after the last complete message (or reset) have been consumed, empty lines before a start line
     * included: something is arriving and has not finished. Servers time a request from here to its empty line.
     */
    public boolean hasPartialInput() {
        return started || consumed > 0;
    }

    /** Back to the state of a new decoder: discards any partial message and revives a failed decoder. */
    public void reset() {
        clearBlock();
        failed = false;
    }

    /**
     * The fast path: copies the run of text bytes at {@code pos} into the line, up to the first other byte, the end
     * of input or the size limit (the byte over it is left for the byte-at-a-time path to refuse); returns the new
     * position.
     */
    private int copyText(ByteBuffer in, int pos, int limit) {
        int room = maxHeaderBytes - consumed;
        int stop = limit - pos <= room ? limit : pos + room; // no int overflow for any limit
        int start = pos;
        int n = lineLength;
        byte[] l = line;
        while (pos < stop) {
            byte b = in.get(pos);
            if (CLASS[b & 0xFF] != TEXT) {
                break;
            }
            l[n++] = b;
            pos++;
        }
        lineLength = n;
        consumed += pos - start;
        return pos;
    }

    private void count() throws ProtocolException {
        if (++consumed > maxHeaderBytes) {
            throw new ProtocolException(Status.REQUEST_TOO_LARGE, started
                    ? "header block exceeds " + maxHeaderBytes + " bytes"
                    : "empty lines before start line exceed " + maxHeaderBytes + " bytes");
        }
    }

    private T lineComplete() throws ProtocolException {
        int length = lineLength;
        lineLength = 0;
        if (!startLineDone) {
            startLineDone = true;
            startLine(line, length);
            return null;
        }
        if (length == 0) {
            T message = endOfBlock();
            clearBlock();
            return message;
        }
        headerLine(length);
        return null;
    }

    private void headerLine(int length) throws ProtocolException {
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        if (colon == length) {
            throw badRequest("header line without colon");
        }
        if (colon == 0) {
            throw badRequest("empty header name");
        }
        for (int i = 0; i < colon; i++) {
            if (TOKEN[line[i] & 0xFF] == 0) {
                throw badRequest("bad header name " + Ascii.quote(line, 0, colon));
            }
        }
        int from = colon + 1;
        int to = length;
        while (from < to && isBlank(line[from])) {
            from++;
        }
        while (to > from && isBlank(line[to - 1])) {
            to--;
        }
        header(line, colon, from, to);
    }

    private void clearBlock() {
        lineLength = 0;
        consumed = 0;
        started = false;
        startLineDone = false;
        pendingCr = false;
        clearMessage();
    }

    /** {@code Keep-Alive} (true) or {@code Close} (false), any case; anything else is 400. */
    static boolean connectionValue(byte[] line, int from, int to) throws ProtocolException {
        if (Ascii.equalsIgnoreCase(line, from, to, KEEP_ALIVE)) {
            return true;
        }
        if (Ascii.equalsIgnoreCase(line, from, to, CLOSE)) {
            return false;
        }
        throw badRequest("bad Connection value " + Ascii.quote(line, from, to));
    }

    static ProtocolException badRequest(String message) {
        return new ProtocolException(Status.BAD_REQUEST, message);
    }

    /** {@code seen} with {@code bit} added; 400 "duplicate header" if it was there already. */
    static int once(int seen, int bit, String header) throws ProtocolException {
        if ((seen & bit) != 0) {
            throw badRequest("duplicate header " + header);
        }
        return seen | bit;
    }

    static ProtocolException missing(String header) {
        return badRequest("missing header " + header);
    }

    private static ProtocolException invalidByte(byte b) {
        int v = b & 0xFF;
        String what = v == 0 ? "NUL byte" : v >= 0x80 ? "non-ASCII byte" : "control byte";
        return badRequest(what + String.format(" 0x%02X in header block", v));
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}

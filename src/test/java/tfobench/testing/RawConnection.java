package tfobench.testing;

import tfobench.protocol.ProtocolException;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseDecoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that speaks bytes, not the protocol: it sends exactly what a test says (garbage, halves, floods), resets
 * on request, and reports everything the server sent back and how the connection ended.
 */
public final class RawConnection implements AutoCloseable {
    /** How the server ended the connection, as the client saw it. */
    public enum End {
        /** Orderly close (FIN). */
        EOF,
        /** Reset (the server closed with unread input, or aborted). */
        RESET,
        /** Still open when the test stopped waiting. */
        STILL_OPEN
    }

    /** Everything received until the connection ended (or the wait ran out). */
    public record Received(byte[] bytes, End end, long millis) {
        /** The responses in the bytes, in order; fails if the bytes are not a sequence of whole valid responses. */
        public List<Response> responses() {
            List<Response> out = new ArrayList<>();
            ByteBuffer in = ByteBuffer.wrap(bytes);
            ResponseDecoder decoder = new ResponseDecoder();
            try {
                while (in.hasRemaining()) {
                    Response r = decoder.decode(in);
                    if (r == null) {
                        throw new AssertionError("incomplete response at the end of: " + text());
                    }
                    out.add(r);
                }
            } catch (ProtocolException e) {
                throw new AssertionError("server sent an invalid response (" + e.getMessage() + "): " + text());
            }
            return out;
        }

        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private IOException sendFailure;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static RawConnection open(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(server, 5_000);
            return new RawConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends the bytes in one write. A server that answers early and closes (413 on a flood) may reset the
     * connection before all of it is written: that failure is remembered ({@link #sendFailure()}), not thrown.
     */
    public RawConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            sendFailure = e;
        }
        return this;
    }

    /** One write per byte, with TCP_NODELAY: the server sees the request in as many segments as it has bytes. */
    public RawConnection sendOneByteAtATime(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
        return this;
    }

    public IOException sendFailure() {
        return sendFailure;
    }

    /** Ends the client's sending side (FIN) and keeps reading. */
    public RawConnection halfClose() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Closes with SO_LINGER 0: the kernel sends RST instead of FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Reads exactly n bytes, failing if the connection ends or nothing arrives for {@code wait}. */
    public byte[] readExactly(int n, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        byte[] buffer = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(buffer, got, n - got);
            if (r < 0) {
                throw new AssertionError("connection ended after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return buffer;
    }

    /** Reads until the server closes or resets, or {@code wait} passes; never throws for those. */
    public Received readUntilClosed(Duration wait) throws IOException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        End end;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                end = End.STILL_OPEN;
                break;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    end = End.EOF;
                    break;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                end = End.STILL_OPEN;
                break;
            } catch (SocketException e) {
                end = End.RESET;
                break;
            }
        }
        return new Received(received.toByteArray(), end, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

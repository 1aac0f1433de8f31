package tfobench.client;

import com.sun.jna.Memory;
import tfobench.HarnessSwitches;
import tfobench.Transport;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.SockAddrIn;
import tfobench.linux.Syscalls;
import tfobench.linux.TcpInfo;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseDecoder;
import tfobench.protocol.Status;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Blocking system calls through JNA on the caller's thread, the seed's C client call for call:
 * <ul>
 *   <li>cold: {@code socket, connect, send, recv, getsockopt(TCP_INFO), close}</li>
 *   <li>tfo: {@code socket, sendto(MSG_FASTOPEN), recv, getsockopt(TCP_INFO), close}</li>
 *   <li>tfo-connect: {@code socket, setsockopt(TCP_FASTOPEN_CONNECT), connect, send, recv, ...}</li>
 *   <li>keepalive: {@code send, recv, getsockopt(TCP_INFO)} on one connection</li>
 * </ul>
 * plus the send/receive timeouts on every new socket (so no call can wait for ever) and {@code TCP_NODELAY} on the
 * kept-alive one. Buffers are allocated once.
 *
 * <p>A one-shot connection gets no {@code TCP_NODELAY}: Nagle's algorithm holds back a small segment only while data
 * sent before it is unacknowledged, and such a connection sends one request, so the option never changes what goes
 * on the wire, and setting it cost a system call per connection. A kept-alive connection sends request after
 * request, each after the previous answer (which acknowledges it), so it would not be held back either; it keeps
 * the option, set once, for clients that pipeline.
 */
public final class NativeClient implements CalcClient {
    private static final int REQUEST_BYTES = 1024;
    private static final int RESPONSE_BYTES = 4096;
    /**
     * {@code -Dtfobench.harness=client-nodelay} puts {@code TCP_NODELAY} back on one-shot sockets, to measure what
     * leaving it out saves (see docs/COST.md).
     */
    private static final boolean NO_DELAY_ON_EVERY_SOCKET = HarnessSwitches.on("client-nodelay");

    private final SockAddrIn target;
    private final Handshake handshake;
    private final long timeoutMillis;
    private final boolean socketTimeouts;
    /** Grown when a request is larger (a padded one); otherwise allocated once. */
    private Memory requestMemory = new Memory(REQUEST_BYTES);
    private ByteBuffer requestBuffer = requestMemory.getByteBuffer(0, REQUEST_BYTES);
    private final Memory responseMemory = new Memory(RESPONSE_BYTES);
    private final ByteBuffer responseBuffer = responseMemory.getByteBuffer(0, RESPONSE_BYTES);
    private final ResponseDecoder decoder = new ResponseDecoder();
    private final TcpInfo info = new TcpInfo();
    private final Exchange exchange = new Exchange();
    private final RetransmissionWatch retransmissions = new RetransmissionWatch();
    private Request encodedRequest;
    private int requestLength;
    private int keptFd = -1;
    private boolean keptFresh;

    NativeClient(InetSocketAddress server, Handshake handshake, ClientOptions options) {
        this.target = new SockAddrIn(server);
        this.handshake = handshake;
        this.timeoutMillis = options.timeout().toMillis();
        this.socketTimeouts = options.socketTimeouts();
    }

    @Override
    public Transport transport() {
        return Transport.NATIVE;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public InetSocketAddress server() {
        return target.address();
    }

    @Override
    public List<Thread> threads() {
        return List.of(); // every call runs on the caller's thread
    }

    @Override
    public void retarget(InetSocketAddress server) {
        target.set(server);
    }

    @Override
    public Exchange exchange(Request request) throws IOException, ProtocolException {
        int length = encode(request);
        if (handshake == Handshake.KEEPALIVE) {
            return exchangeKeptAlive(length);
        }
        int fd = newSocket(false);
        try {
            switch (handshake) {
                case COLD:
                    connect(fd);
                    Syscalls.sendFully(fd, requestMemory, length);
                    break;
                case TFO:
                    // Blocking: with a cookie the request leaves in the SYN; without one the kernel requests a
                    // cookie, completes the handshake and sends the data after it.
                    int sent = Syscalls.sendTo(fd, requestMemory, length, Syscalls.MSG_FASTOPEN, target);
                    if (sent < length) {
                        Syscalls.sendFully(fd, requestMemory.share(sent), length - sent);
                    }
                    break;
                case TFO_CONNECT:
                    Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN_CONNECT, 1);
                    connect(fd);
                    Syscalls.sendFully(fd, requestMemory, length);
                    break;
                default:
                    throw new AssertionError(handshake);
            }
            Response response = readResponse(fd);
            Syscalls.tcpInfo(fd, info);
            return exchange.set(response, SynData.classify(handshake.fastOpen(), info), info.rttMicros(),
                    info.totalRetrans(), retransmissions.sawRetransmission(info, true));
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }

    /**
     * How many bytes of this request the kernel puts in the SYN of a fast open connection to the server: one
     * exchange whose {@code sendto(MSG_FASTOPEN)} also carries {@code MSG_DONTWAIT}, so that it returns as soon as
     * the SYN is sent, with the number of bytes in it ({@code tcp(7)}: the kernel sends at most what fits in one
     * segment; {@code EINPROGRESS}, none: there was no cookie, the SYN carried a cookie request). The rest follows
     * with blocking sends and the answer is read and checked as in any exchange. Not the measured path: there
     * {@code sendto} blocks until the handshake completes, as the seed's C does, and returns the whole length.
     */
    public int synPayloadBytes(Request request) throws IOException, ProtocolException {
        if (handshake != Handshake.TFO) {
            throw new IllegalStateException("only a tfo client sends data with sendto(MSG_FASTOPEN)");
        }
        int length = encode(request);
        int fd = newSocket(false);
        try {
            int inSyn;
            try {
                inSyn = Syscalls.sendTo(fd, requestMemory, length, Syscalls.MSG_FASTOPEN | Syscalls.MSG_DONTWAIT,
                        target);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINPROGRESS) {
                    throw e;
                }
                inSyn = 0;
            }
            if (inSyn < length) {
                Syscalls.sendFully(fd, requestMemory.share(inSyn), length - inSyn);
            }
            Response response = readResponse(fd);
            if (response.status() != Status.OK) {
                throw new ProtocolException(response.status(), "the server answered the SYN payload probe with "
                        + response.status());
            }
            return inSyn;
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }

    private Exchange exchangeKeptAlive(int length) throws IOException, ProtocolException {
        boolean ok = false;
        try {
            if (keptFd < 0) {
                keptFd = newSocket(true);
                keptFresh = true;
                connect(keptFd);
            }
            Syscalls.sendFully(keptFd, requestMemory, length);
            Response response = readResponse(keptFd);
            Syscalls.tcpInfo(keptFd, info);
            SynData synData = keptFresh ? SynData.classify(false, info) : SynData.REUSED;
            boolean retransmitted = retransmissions.sawRetransmission(info, keptFresh);
            keptFresh = false;
            ok = response.keepAlive();
            return exchange.set(response, synData, info.rttMicros(), info.totalRetrans(), retransmitted);
        } finally {
            if (!ok) {
                closeKept();
            }
        }
    }

    private int encode(Request request) {
        if (request != encodedRequest) {
            int needed = RequestEncoder.encodedLength(request);
            if (needed > requestMemory.size()) {
                requestMemory = new Memory(needed);
                requestBuffer = requestMemory.getByteBuffer(0, needed);
            }
            requestBuffer.clear();
            requestLength = RequestEncoder.encode(request, requestBuffer);
            encodedRequest = request;
        }
        return requestLength;
    }

    /** A new socket with the options every operation needs; package-private for the test of those options. */
    int newSocket(boolean noDelay) throws ErrnoException {
        int fd = Syscalls.tcpSocket(target);
        try {
            if (noDelay || NO_DELAY_ON_EVERY_SOCKET) {
                Syscalls.setInt(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, 1);
            }
            if (socketTimeouts) {
                Syscalls.setTimeout(fd, Syscalls.SO_RCVTIMEO, timeoutMillis);
                // SO_SNDTIMEO also bounds a blocking connect() on Linux.
                Syscalls.setTimeout(fd, Syscalls.SO_SNDTIMEO, timeoutMillis);
            }
            return fd;
        } catch (ErrnoException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    private void connect(int fd) throws IOException {
        try {
            Syscalls.connect(fd, target);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINPROGRESS || e.errno() == Errno.EAGAIN) {
                throw new SocketTimeoutException("connect " + target + ": no answer within " + timeoutMillis + " ms");
            }
            throw e;
        }
    }

    /** Reads until one complete response is parsed; anything after it is a protocol error (one request sent). */
    private Response readResponse(int fd) throws IOException, ProtocolException {
        decoder.reset();
        responseBuffer.clear();
        while (true) {
            int n;
            try {
                n = Syscalls.recv(fd, responseMemory, responseBuffer.position(), responseBuffer.remaining());
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) {
                    throw new SocketTimeoutException("no complete response from " + target + " within "
                            + timeoutMillis + " ms");
                }
                throw e;
            }
            if (n == 0) {
                throw new EOFException("server " + target + " closed the connection "
                        + (decoder.isMidMessage() ? "in the middle of a response" : "without responding"));
            }
            responseBuffer.position(responseBuffer.position() + n);
            responseBuffer.flip();
            Response response = decoder.decode(responseBuffer);
            boolean extra = responseBuffer.hasRemaining();
            responseBuffer.compact();
            if (response != null) {
                if (extra) {
                    throw new ProtocolException(Status.BAD_REQUEST, "unexpected bytes after the response");
                }
                return response;
            }
        }
    }

    private void closeKept() {
        Syscalls.closeQuietly(keptFd);
        keptFd = -1;
    }

    @Override
    public void close() {
        closeKept();
    }
}

package tfobench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.Promise;
import tfobench.HostPort;
import tfobench.Transport;
import tfobench.linux.ErrnoException;
import tfobench.linux.Syscalls;
import tfobench.linux.TcpInfo;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.Response;
import tfobench.protocol.ResponseDecoder;
import tfobench.protocol.Status;
import tfobench.server.PinnedThreadFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Netty's epoll transport as applications use it, with one event loop thread. The caller hands the request to
 * the event loop once and waits for the {@link Exchange}; connecting, writing, parsing, reading the evidence and
 * (except for keep-alive) closing all happen on the event loop.
 * <ul>
 *   <li>cold: {@code connect}, then write the request</li>
 *   <li>tfo: {@link ChannelOption#TCP_FASTOPEN_CONNECT} set and the request written before {@code connect}:
 *       Netty sends it with {@code sendto(MSG_FASTOPEN)}</li>
 *   <li>tfo-connect: the socket option {@code TCP_FASTOPEN_CONNECT} set, {@code connect}, write</li>
 *   <li>keepalive: one channel, request after request</li>
 * </ul>
 */
public final class NettyClient implements CalcClient {
    private static final IntegerUnixChannelOption TCP_FASTOPEN_CONNECT = new IntegerUnixChannelOption(
            "TCP_FASTOPEN_CONNECT", Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN_CONNECT);

    private InetSocketAddress target;
    private final Handshake handshake;
    private final long timeoutMillis;
    private final EventLoopGroup group;
    private final PinnedThreadFactory threads;
    private final Bootstrap bootstrap;
    private Request encodedRequest;
    private byte[] requestBytes;
    private Channel kept;

    NettyClient(InetSocketAddress server, Handshake handshake, ClientOptions options) {
        this.target = server;
        this.handshake = handshake;
        this.timeoutMillis = options.timeout().toMillis();
        this.threads = new PinnedThreadFactory("netty-client", options.cpus());
        this.group = new MultiThreadIoEventLoopGroup(1, threads, EpollIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel ch) {
                        ch.pipeline().addLast(new ResponseHandler(handshake));
                    }
                });
        if (handshake == Handshake.TFO) {
            bootstrap.option(ChannelOption.TCP_FASTOPEN_CONNECT, true);
        } else if (handshake == Handshake.TFO_CONNECT) {
            bootstrap.option(TCP_FASTOPEN_CONNECT, 1);
        }
    }

    @Override
    public Transport transport() {
        return Transport.NETTY;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public InetSocketAddress server() {
        return target;
    }

    @Override
    public List<Thread> threads() {
        return threads.threads();
    }

    @Override
    public void retarget(InetSocketAddress server) {
        target = server;
    }

    @Override
    public Exchange exchange(Request request) throws IOException, ProtocolException {
        byte[] bytes = encode(request);
        Promise<Exchange> promise = group.next().newPromise();
        Channel channel;
        switch (handshake) {
            case TFO:
                channel = writeThenConnect(bytes, promise);
                break;
            case COLD:
            case TFO_CONNECT:
                channel = connectThenWrite(bytes, promise, true);
                break;
            case KEEPALIVE:
                if (kept == null || !kept.isActive()) {
                    kept = connectThenWrite(bytes, promise, false);
                } else {
                    Channel ch = kept;
                    ch.eventLoop().execute(() -> send(ch, bytes, promise, false));
                }
                channel = kept;
                break;
            default:
                throw new AssertionError(handshake);
        }
        return await(promise, channel);
    }

    /** Registers, writes the request without flushing, then connects: Netty puts the write in the SYN. */
    private Channel writeThenConnect(byte[] bytes, Promise<Exchange> promise) {
        InetSocketAddress to = target;
        ChannelFuture registered = bootstrap.register();
        Channel ch = registered.channel();
        registered.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            ch.pipeline().get(ResponseHandler.class).expect(promise, true);
            ch.write(requestBuffer(ch, bytes));
            ch.connect(to).addListener(c -> {
                if (!c.isSuccess()) {
                    promise.tryFailure(c.cause());
                    ch.close();
                    return;
                }
                // Without a cookie the kernel only requested one: the request is still queued and Netty does not
                // write it by itself once connected.
                ch.flush();
            });
        });
        return ch;
    }

    private Channel connectThenWrite(byte[] bytes, Promise<Exchange> promise, boolean closeAfter) {
        ChannelFuture connected = bootstrap.connect(target);
        Channel ch = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                ch.close();
                return;
            }
            send(ch, bytes, promise, closeAfter);
        });
        return ch;
    }

    private static void send(Channel ch, byte[] bytes, Promise<Exchange> promise, boolean closeAfter) {
        ch.pipeline().get(ResponseHandler.class).expect(promise, closeAfter);
        ch.writeAndFlush(requestBuffer(ch, bytes)).addListener(w -> {
            if (!w.isSuccess()) {
                promise.tryFailure(w.cause());
                ch.close();
            }
        });
    }

    private static ByteBuf requestBuffer(Channel ch, byte[] bytes) {
        return ch.alloc().directBuffer(bytes.length).writeBytes(bytes);
    }

    private Exchange await(Promise<Exchange> promise, Channel channel) throws IOException, ProtocolException {
        try {
            if (!promise.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                channel.close();
                throw new SocketTimeoutException("no complete response from " + HostPort.format(target) + " within "
                        + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new IOException("interrupted waiting for a response", e);
        }
        if (promise.isSuccess()) {
            return promise.getNow();
        }
        Throwable cause = promise.cause();
        if (cause instanceof IOException) {
            throw (IOException) cause;
        }
        if (cause instanceof ProtocolException) {
            throw (ProtocolException) cause;
        }
        if (cause instanceof ExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        throw new IOException(cause.toString(), cause);
    }

    private byte[] encode(Request request) {
        if (request != encodedRequest) {
            requestBytes = RequestEncoder.encode(request);
            encodedRequest = request;
        }
        return requestBytes;
    }

    @Override
    public void close() {
        if (kept != null) {
            kept.close().awaitUninterruptibly(timeoutMillis);
            kept = null;
        }
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(timeoutMillis);
        try {
            threads.join(timeoutMillis); // its termination future completes just before the thread exits
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parses the response on the event loop, reads {@code TCP_INFO} before anything can close the socket, then
     * (one-shot handshakes) closes and completes the caller's promise once the descriptor is released.
     */
    private static final class ResponseHandler extends ChannelInboundHandlerAdapter {
        private final Handshake handshake;
        private final ResponseDecoder decoder = new ResponseDecoder();
        private final TcpInfo info = new TcpInfo();
        private final Exchange exchange = new Exchange();
        private final RetransmissionWatch retransmissions = new RetransmissionWatch();
        private Promise<Exchange> pending;
        private boolean closeAfter;
        private boolean firstResponse = true;

        ResponseHandler(Handshake handshake) {
            this.handshake = handshake;
        }

        void expect(Promise<Exchange> promise, boolean closeAfterResponse) {
            this.pending = promise;
            this.closeAfter = closeAfterResponse;
            decoder.reset();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (pending == null) {
                    throw new ProtocolException(Status.BAD_REQUEST, "bytes from the server with no request pending");
                }
                ByteBuffer in = buf.nioBuffer();
                Response response = decoder.decode(in);
                if (response == null) {
                    return;
                }
                if (in.hasRemaining()) {
                    throw new ProtocolException(Status.BAD_REQUEST, "unexpected bytes after the response");
                }
                int fd = ((EpollSocketChannel) ctx.channel()).fd().intValue();
                Syscalls.tcpInfo(fd, info);
                SynData synData = firstResponse ? SynData.classify(handshake.fastOpen(), info) : SynData.REUSED;
                boolean retransmitted = retransmissions.sawRetransmission(info, firstResponse);
                firstResponse = false;
                Exchange exchange = this.exchange.set(response, synData, info.rttMicros(), info.totalRetrans(),
                        retransmitted);
                Promise<Exchange> promise = pending;
                pending = null;
                if (closeAfter || !response.keepAlive()) {
                    ctx.close().addListener(f -> promise.trySuccess(exchange));
                } else {
                    promise.trySuccess(exchange);
                }
            } catch (ProtocolException | ErrnoException e) {
                fail(ctx, e);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (pending != null) {
                pending.tryFailure(new EOFException("server closed the connection "
                        + (decoder.isMidMessage() ? "in the middle of a response" : "without responding")));
                pending = null;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            if (pending != null) {
                pending.tryFailure(cause);
                pending = null;
            }
            ctx.close();
        }
    }
}

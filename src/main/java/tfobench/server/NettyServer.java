package tfobench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import tfobench.protocol.Response;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server as Netty applications write it: epoll transport, {@code TCP_FASTOPEN} on the listener for the fast
 * open variant, one handler per connection driving the same {@link CalcSession} as the native server. Connections
 * wait on the event loops, so a slow client holds nothing but its own connection; its limits are the idle timeout
 * (Netty's {@link IdleStateHandler}) and the request deadline (a task scheduled only when a read leaves a request
 * incomplete).
 */
public final class NettyServer extends AbstractCalcServer {
    private static final long STOP_TIMEOUT_SECONDS = 5;
    private static final int OUT_BUFFER_BYTES = 8 * CalcSession.MAX_RESPONSE_BYTES;

    private final EventLoopGroup group;
    private final PinnedThreadFactory threads;
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final Channel listener;
    private final Response timeoutAnswer;
    private volatile boolean closed;

    private NettyServer(ServerConfig config) throws InterruptedException, IOException {
        super(config);
        this.timeoutAnswer = CalcSession.requestTimeoutAnswer(config.requestTimeout());
        this.threads = new PinnedThreadFactory("netty-server", config.cpus());
        this.group = new MultiThreadIoEventLoopGroup(config.threads(), threads, EpollIoHandler.newFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                        @Override
                        protected void initChannel(EpollSocketChannel ch) {
                            if (!limit.tryOpen()) {
                                ch.close();
                                return;
                            }
                            ch.closeFuture().addListener(closed -> limit.closed());
                            connections.add(ch);
                            long idle = config.idleTimeout().toMillis();
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS),
                                    new SessionHandler(config, timeoutAnswer));
                        }
                    });
            if (config.fastOpen()) {
                bootstrap.option(ChannelOption.TCP_FASTOPEN, config.fastOpenQueue());
            }
            Channel channel = bootstrap.bind(config.bind()).sync().channel();
            this.listener = channel;
            listeningOn((InetSocketAddress) channel.localAddress());
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    static NettyServer start(ServerConfig config) throws InterruptedException, IOException {
        return new NettyServer(config);
    }

    @Override
    public List<Thread> threads() {
        return threads.threads();
    }

    /** The listening socket, for tests that change its options (e.g. TCP_FASTOPEN_KEY). */
    int listenerDescriptor() {
        return ((EpollServerSocketChannel) listener).fd().intValue();
    }

    @Override
    public void close() throws ServerStopException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close().await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            connections.close().await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!group.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ServerStopException("netty server on " + address() + ": event loops still running after "
                        + STOP_TIMEOUT_SECONDS + " s");
            }
            List<String> alive = threads.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
            if (!alive.isEmpty()) {
                throw new ServerStopException("netty server on " + address() + ": threads still running after stop: "
                        + alive);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStopException("interrupted while stopping netty server on " + address(), e);
        }
    }

    /**
     * Feeds the connection's bytes through its {@link CalcSession}; closes on Close, bad input, idleness or a request
     * that does not complete in time.
     */
    private static final class SessionHandler extends ChannelInboundHandlerAdapter {
        private final CalcSession session;
        private final long requestTimeoutNanos;
        private final Response timeoutAnswer;
        /** The deadline of the request arriving now; null while none is. */
        private ScheduledFuture<?> deadline;
        /** {@code System.nanoTime()} when {@link #deadline} was set. */
        private long requestStart;

        SessionHandler(ServerConfig config, Response timeoutAnswer) {
            this.session = new CalcSession(config.maxHeaderBytes());
            this.requestTimeoutNanos = config.requestTimeout().toNanos();
            this.timeoutAnswer = timeoutAnswer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf input = (ByteBuf) msg;
            try {
                ByteBuffer in = input.nioBuffer();
                ByteBuf output = ctx.alloc().ioBuffer(OUT_BUFFER_BYTES);
                CalcSession.Next next;
                while (true) {
                    ByteBuffer out = output.nioBuffer(output.writerIndex(), output.writableBytes());
                    next = session.serve(in, out);
                    output.writerIndex(output.writerIndex() + out.position());
                    if (next != CalcSession.Next.FLUSH) {
                        break;
                    }
                    ctx.write(output);
                    output = ctx.alloc().ioBuffer(OUT_BUFFER_BYTES);
                }
                if (next == CalcSession.Next.CLOSE) {
                    ctx.writeAndFlush(output).addListener(ChannelFutureListener.CLOSE);
                } else if (output.isReadable()) {
                    ctx.writeAndFlush(output);
                } else {
                    output.release();
                    ctx.flush();
                }
                if (next == CalcSession.Next.CLOSE) {
                    cancelDeadline();
                } else {
                    timeRequest(ctx);
                }
            } finally {
                input.release();
            }
        }

        /**
         * Starts the deadline when a read leaves a request incomplete, and stops it once none is arriving. A request
         * that comes whole in one read (every benchmark's) schedules nothing.
         */
        private void timeRequest(ChannelHandlerContext ctx) {
            if (session.requestArriving()) {
                if (deadline == null) {
                    requestStart = System.nanoTime();
                    deadline = ctx.executor().schedule(() -> expire(ctx), requestTimeoutNanos, TimeUnit.NANOSECONDS);
                }
            } else {
                cancelDeadline();
            }
        }

        private void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        /** The deadline passed with the request still incomplete: 408 and close (close alone if it cannot be sent). */
        private void expire(ChannelHandlerContext ctx) {
            deadline = null;
            Channel channel = ctx.channel();
            if (!channel.isActive()) {
                return;
            }
            if (!channel.isWritable()) {
                ctx.close(); // the client is not reading what was already sent; it would never see the 408
                return;
            }
            ByteBuf output = ctx.alloc().ioBuffer(CalcSession.MAX_RESPONSE_BYTES);
            ByteBuffer out = output.nioBuffer(0, output.writableBytes());
            session.expire(timeoutAnswer, out);
            output.writerIndex(out.position());
            ctx.writeAndFlush(output).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelDeadline();
            super.channelInactive(ctx);
        }

        /**
         * Back-pressure: while the answers already written wait for a client that does not read them (past the
         * channel's high water mark), stop reading its requests instead of queueing more answers in memory. The
         * native server gets the same from its blocking send; the idle timeout closes such a client either way.
         */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                if (deadline != null && System.nanoTime() - requestStart >= requestTimeoutNanos) {
                    expire(ctx); // both passed: the deadline's 408, as the native server does
                } else {
                    ctx.close();
                }
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or broken pipe is the client's business; anything else is worth one line.
            if (!(cause instanceof IOException)) {
                System.err.println("netty server: closing " + ctx.channel() + ": " + cause);
            }
            ctx.close();
        }
    }
}

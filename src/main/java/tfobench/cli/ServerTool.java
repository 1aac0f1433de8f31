package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.HostPort;
import tfobench.Transport;
import tfobench.linux.FastOpenSysctl;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code server [--tfo] [--transport native|netty] [--bind ADDR] [--port N]}: a standalone CALCULATE MATH/1.1
 * server for outside clients. Prints {@code listening on ADDR:PORT} once ready and serves until killed. It binds
 * loopback unless told otherwise; on any other address it says so on stderr with the bounds an outside client
 * meets (connections, header size, request deadline, idle timeout).
 */
final class ServerTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "server [--tfo] [--transport native|netty] [--bind ADDR] [--port N] [options]";
    }

    @Override
    public String summary() {
        return "a standalone CALCULATE MATH/1.1 server (plain or fast open) for outside clients; serves until killed";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<Void> tfo = parser.accepts("tfo", "accept data in the SYN (TCP_FASTOPEN on the listener)");
        OptionSpec<String> queue = parser.accepts("tfo-queue", "TCP_FASTOPEN queue length")
                .withRequiredArg().defaultsTo(Integer.toString(ServerConfig.DEFAULT_FAST_OPEN_QUEUE));
        OptionSpec<String> transport = parser.accepts("transport", "native (JNA, blocking) or netty (epoll)")
                .withRequiredArg().defaultsTo("native");
        OptionSpec<String> bind = parser.accepts("bind", "IPv4 address to listen on")
                .withRequiredArg().defaultsTo("127.0.0.1");
        OptionSpec<String> port = parser.accepts("port", "port to listen on (0 = any free port)")
                .withRequiredArg().defaultsTo("8080");
        OptionSpec<String> threads = parser.accepts("threads",
                "native: workers, each serving one active connection at a time; netty: event loop threads").withRequiredArg();
        OptionSpec<String> idle = parser.accepts("idle-timeout", "seconds a connection may stay idle")
                .withRequiredArg().defaultsTo(Long.toString(ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds()));
        OptionSpec<String> requestTimeout = parser.accepts("request-timeout",
                "seconds from a request's first byte to its empty line (408 and close after)").withRequiredArg()
                .defaultsTo(Long.toString(ServerConfig.DEFAULT_REQUEST_TIMEOUT.toSeconds()));
        OptionSpec<String> maxHeader = parser.accepts("max-header-bytes", "request header block limit (413 above)")
                .withRequiredArg().defaultsTo(Integer.toString(ServerConfig.DEFAULT_MAX_HEADER_BYTES));
        OptionSpec<String> maxConnections = parser.accepts("max-connections",
                "connections open at once; one more is closed unanswered right after accept").withRequiredArg()
                .defaultsTo(Integer.toString(ServerConfig.DEFAULT_MAX_CONNECTIONS));
        OptionSpec<String> cpus = parser.accepts("cpus", "pin server threads to these CPUs, e.g. 0 or 0,1")
                .withRequiredArg();
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        Options.noArguments(options);
        Transport t = Options.label(Transport::fromLabel, options.valueOf(transport));
        ServerConfig config = ServerConfig.plain(t)
                .withBind(new InetSocketAddress(Options.address("--bind", options.valueOf(bind)),
                        Options.intInRange("port", options.valueOf(port), 0, 65535)))
                .withIdleTimeout(Duration.ofSeconds(Options.intInRange("idle-timeout", options.valueOf(idle), 1,
                        86_400)))
                .withRequestTimeout(Duration.ofSeconds(Options.intInRange("request-timeout",
                        options.valueOf(requestTimeout), 1, 86_400)))
                .withMaxHeaderBytes(Options.intInRange("max-header-bytes", options.valueOf(maxHeader), 64,
                        1 << 20))
                .withMaxConnections(Options.intInRange("max-connections", options.valueOf(maxConnections), 1,
                        1_000_000));
        if (options.has(tfo)) {
            config = config.withFastOpenQueue(Options.intInRange("tfo-queue", options.valueOf(queue), 1, 1 << 20));
        }
        if (options.has(threads)) {
            config = config.withThreads(Options.intInRange("threads", options.valueOf(threads), 1, 4096));
        }
        if (options.has(cpus)) {
            config = config.withCpus(Options.cpuList(options.valueOf(cpus)));
        }
        if (!config.bind().getAddress().isLoopbackAddress()) {
            err.println("server: warning: listening on " + HostPort.format(config.bind().getAddress())
                    + ", reachable from outside this host; bounds: " + bounds(config));
        }

        CalcServer server = Servers.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("server: " + e.getMessage());
            }
            stopped.countDown();
        }, "server-shutdown"));
        InetSocketAddress bound = server.address();
        out.println("tfo-bench server: transport=" + t.label() + " fast-open="
                + (config.fastOpen() ? "on (queue " + config.fastOpenQueue() + ")" : "off") + " threads="
                + config.threads() + " idle-timeout=" + config.idleTimeout().toSeconds() + "s request-timeout="
                + config.requestTimeout().toSeconds() + "s max-connections="
                + config.maxConnections() + " max-header-bytes=" + config.maxHeaderBytes() + " "
                + FastOpenSysctl.read());
        out.println("listening on " + HostPort.format(bound));
        out.flush();
        stopped.await();
        return 0;
    }

    /** What an outside client can hold: connections, request size, time. */
    static String bounds(ServerConfig config) {
        return "at most " + config.maxConnections() + " connections open, header block at most "
                + config.maxHeaderBytes() + " bytes, a request complete within " + config.requestTimeout().toSeconds()
                + " s of its first byte (408 after), idle connections closed after " + config.idleTimeout().toSeconds()
                + " s";
    }
}

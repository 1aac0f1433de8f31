package tfobench.cli;

import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import tfobench.HostPort;
import tfobench.Transport;
import tfobench.capture.CaptureFile;
import tfobench.capture.CapturedExchange;
import tfobench.capture.Dumpcap;
import tfobench.capture.ExchangeMatch;
import tfobench.capture.Frame;
import tfobench.capture.Ladder;
import tfobench.linux.MissingCapabilityException;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.client.NativeClient;
import tfobench.linux.TcpExtCounters;
import tfobench.protocol.ProtocolException;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;
import tfobench.protocol.ResponseEncoder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code probe [--handshake cold|tfo|tfo-connect|keepalive] [--transport native|netty] [--count N]
 * [--capture FILE] HOST:PORT}: sends N requests (1 + 1) the way curl -v --tcp-fastopen would, printing each
 * request, response and what happened to data in the SYN ({@code acked}, {@code not sent}, {@code not acked:
 * reason}); with {@code --capture}, also the packets of each connection (dumpcap on any interface) and whether
 * they agree with what {@code TCP_INFO} said.
 */
final class ProbeTool implements Main.Tool {

    @Override
    public String synopsis() {
        return "probe [--handshake cold|tfo|tfo-connect|keepalive] [--transport native|netty] [--count N] "
                + "[--capture FILE] HOST:PORT";
    }

    @Override
    public String summary() {
        return "sends requests to a server like curl -v --tcp-fastopen and says what happened to the SYN data";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        OptionParser parser = Options.parser();
        OptionSpec<String> handshakeOption = parser.accepts("handshake", "cold, tfo, tfo-connect or keepalive")
                .withRequiredArg().defaultsTo("tfo");
        OptionSpec<String> transportOption = parser.accepts("transport", "native (JNA, blocking) or netty (epoll)")
                .withRequiredArg().defaultsTo("native");
        OptionSpec<String> countOption = parser.accepts("count", "requests to send").withRequiredArg()
                .defaultsTo("2");
        OptionSpec<String> timeoutOption = parser.accepts("timeout", "milliseconds to wait to connect or respond")
                .withRequiredArg().defaultsTo(Long.toString(ClientOptions.DEFAULT_TIMEOUT.toMillis()));
        OptionSpec<Void> quiet = parser.accepts("quiet", "one line per request, no request/response bytes");
        OptionSpec<String> bytesOption = parser.accepts("request-bytes", "request size: 79 (the seed's) or 90 and "
                + "more, grown with a Padding header (the server's --max-header-bytes must allow it)")
                .withRequiredArg().defaultsTo(Integer.toString(Request.SEED_BYTES));
        OptionSpec<String> captureOption = parser.accepts("capture", "also capture the probe's packets with dumpcap "
                + "into FILE (pcapng; pcap if it ends in .pcap), print each connection's packets and check them "
                + "against TCP_INFO").withRequiredArg().describedAs("FILE");
        Optional<OptionSet> parsed = Options.parse(this, parser, args, out);
        if (parsed.isEmpty()) {
            return 0;
        }
        OptionSet options = parsed.get();
        List<?> rest = options.nonOptionArguments();
        if (rest.size() != 1) {
            throw new UsageException(rest.isEmpty() ? "missing HOST:PORT (try --help)"
                    : "expected one HOST:PORT, got " + rest);
        }
        InetSocketAddress target = Options.hostPort((String) rest.get(0));
        Handshake handshake = Options.label(Handshake::fromLabel, options.valueOf(handshakeOption));
        Transport transport = Options.label(Transport::fromLabel, options.valueOf(transportOption));
        int count = Options.intInRange("count", options.valueOf(countOption), 1, 1_000_000);
        Duration timeout = Duration.ofMillis(Options.intInRange("timeout", options.valueOf(timeoutOption), 1,
                3_600_000));
        boolean verbose = !options.has(quiet);
        Request request;
        try {
            request = Request.ONE_PLUS_ONE.withSize(Options.intInRange("request-bytes", options.valueOf(bytesOption),
                    Request.SEED_BYTES, 16 * 1024 * 1024));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--request-bytes: " + e.getMessage());
        }
        String where = HostPort.format(target);

        Path captureFile = options.has(captureOption) ? Path.of(options.valueOf(captureOption)) : null;
        if (captureFile != null && Dumpcap.whyNot().isPresent()) {
            throw new MissingCapabilityException("--capture needs " + Dumpcap.whyNot().get());
        }

        out.printf("* probe %s handshake=%s transport=%s count=%d%n", where, handshake.label(), transport.label(),
                count);
        Dumpcap dumpcap = null;
        List<CapturedExchange> captured = new ArrayList<>();
        if (captureFile != null) {
            // any interface: the probe may go to loopback or out of a real one
            dumpcap = Dumpcap.start(captureFile, "any", "tcp and host " + target.getAddress().getHostAddress()
                    + " and port " + target.getPort(), "tfo-bench probe " + where + " handshake="
                    + handshake.label() + " transport=" + transport.label());
            out.println("* capturing on any interface into " + captureFile);
        }
        try {
            int status = probe(handshake, transport, target, where, request, count, timeout, verbose, captured, out);
            if (dumpcap != null) {
                dumpcap.stop();
                status = Math.max(status, printCapture(captureFile, captured, out, err));
            }
            if (handshake.fastOpen() && request.padding() > 0) {
                // after the capture: its extra connection is not one of the probe's
                printSynPayload(target, request, timeout, out);
            }
            return status;
        } finally {
            if (dumpcap != null) {
                dumpcap.close();
            }
        }
    }

    private int probe(Handshake handshake, Transport transport, InetSocketAddress target, String where,
                      Request request, int count, Duration timeout, boolean verbose, List<CapturedExchange> captured,
                      PrintStream out) throws IOException {
        int requestBytes = RequestEncoder.encodedLength(request);
        TcpExtCounters before = TcpExtCounters.read();
        int acked = 0;
        int wrong = 0;
        try (CalcClient client = Clients.create(transport, handshake, target, ClientOptions.defaults()
                .withTimeout(timeout))) {
            for (int i = 1; i <= count; i++) {
                if (verbose) {
                    out.printf("* request %d/%d: %s%n", i, count, describe(handshake, transport, i));
                    printLines(out, "> ", RequestEncoder.encode(request));
                }
                long start = System.nanoTime();
                Instant startedAt = Instant.now();
                Exchange exchange;
                try {
                    exchange = client.exchange(request);
                } catch (IOException e) {
                    throw new IOException("cannot reach " + where + ": " + e.getMessage(), e);
                } catch (ProtocolException e) {
                    throw new IOException("bad response from " + where + ": " + e.getMessage(), e);
                }
                double micros = (System.nanoTime() - start) / 1_000.0;
                if (verbose) {
                    printLines(out, "< ", ResponseEncoder.encode(exchange.response()));
                }
                boolean right = exchange.response().isOk() && exchange.response().result() == 2;
                if (!right) {
                    wrong++;
                }
                if (exchange.synData().acked()) {
                    acked++;
                }
                captured.add(new CapturedExchange("probe " + handshake.label(), transport.label(), 0, target,
                        handshake == Handshake.KEEPALIVE ? 1 : i, startedAt.getEpochSecond() * 1_000_000_000L
                        + startedAt.getNano(), exchange.synData(), requestBytes));
                out.printf("* %d: %s%s, SYN data: %s, %.1f us, rtt %d us, retransmits %d%n", i,
                        exchange.response().isOk() ? "Result: " + exchange.response().result()
                                : exchange.response().status().code() + " " + exchange.response().error(),
                        right ? "" : " (WRONG: expected 2)", exchange.synData().description(), micros,
                        exchange.rttMicros(), exchange.totalRetrans());
            }
        }
        TcpExtCounters delta = TcpExtCounters.read().minus(before);
        out.printf("* %d requests, %d with SYN data acked, %d wrong answers%n", count, acked, wrong);
        StringBuilder counters = new StringBuilder();
        for (Map.Entry<String, Long> e : delta.fastOpen().entrySet()) {
            counters.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        out.println("* TcpExt deltas in this network namespace:" + counters);
        return wrong == 0 ? 0 : 1;
    }

    /** How many of the request's bytes the kernel puts in a SYN, asked with one more connection. */
    private static void printSynPayload(InetSocketAddress target, Request request, Duration timeout, PrintStream out)
            throws IOException {
        int inSyn;
        try (NativeClient probe = (NativeClient) Clients.create(Transport.NATIVE, Handshake.TFO, target,
                ClientOptions.defaults().withTimeout(timeout))) {
            inSyn = probe.synPayloadBytes(request);
        } catch (ProtocolException e) {
            throw new IOException("bad response from " + HostPort.format(target) + ": " + e.getMessage(), e);
        }
        int size = RequestEncoder.encodedLength(request);
        out.printf("* the SYN carries %d of the request's %d bytes (asked of the kernel with one more connection, "
                + "sendto MSG_FASTOPEN|MSG_DONTWAIT)%s%n", inSyn, size, inSyn < size
                ? ": 'acked' above covers those " + inSyn + " bytes, the rest followed the handshake" : "");
    }

    /** Each connection's packets as a ladder, then whether they agree with TCP_INFO; 1 if they do not. */
    private static int printCapture(Path file, List<CapturedExchange> exchanges, PrintStream out, PrintStream err)
            throws IOException {
        List<Frame> frames = CaptureFile.read(file);
        out.println("* capture: " + frames.size() + " packets in " + file);
        int problems = 0;
        for (ExchangeMatch m : ExchangeMatch.match(frames, exchanges)) {
            out.println("* connection " + m.first().connection() + " (ms from the client's call):");
            m.connection().ifPresent(c -> out.print(Ladder.text(Ladder.rows(c, m.origin()), "*   ")));
            if (m.problems().isEmpty()) {
                out.println("*   packets agree with TCP_INFO (SYN data: " + m.first().tcpInfo().description() + ")");
            }
            for (String p : m.problems()) {
                problems++;
                err.println("probe: ERROR: connection " + m.first().connection() + ": " + p);
            }
        }
        return problems == 0 ? 0 : 1;
    }

    private static String describe(Handshake handshake, Transport transport, int index) {
        switch (handshake) {
            case COLD:
                return "connect(), then send";
            case TFO:
                return transport == Transport.NATIVE ? "sendto(MSG_FASTOPEN)"
                        : "request written before connect (Netty: sendto MSG_FASTOPEN)";
            case TFO_CONNECT:
                return "setsockopt(TCP_FASTOPEN_CONNECT), connect(), send";
            case KEEPALIVE:
                return index == 1 ? "connect(), then send (connection kept)" : "send on the kept connection";
            default:
                throw new AssertionError(handshake);
        }
    }

    private static void printLines(PrintStream out, String prefix, byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1); // the blank line ending the message stays as one line
        }
        for (String line : text.split("\r?\n", -1)) {
            out.println(prefix + (line.length() > 100 ? line.substring(0, 60) + "... (" + line.length()
                    + " characters)" : line));
        }
    }
}

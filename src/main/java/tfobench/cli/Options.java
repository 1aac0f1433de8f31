package tfobench.cli;

import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import tfobench.HostPort;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Parsing helpers shared by the tools; every failure is a {@link UsageException} with one line. */
final class Options {
    private Options() {
    }

    /** A parser that knows {@code -h}/{@code --help}; the tool adds its own options. */
    static OptionParser parser() {
        OptionParser parser = new OptionParser();
        parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        return parser;
    }

    /**
     * The tool's options, or empty after printing its usage for {@code -h}/{@code --help} (then the tool returns 0).
     */
    static Optional<OptionSet> parse(Main.Tool tool, OptionParser parser, String[] args, PrintStream out)
            throws UsageException, IOException {
        OptionSet options;
        try {
            options = parser.parse(args);
        } catch (OptionException e) {
            throw new UsageException(e.getMessage() + " (try --help)");
        }
        if (options.has("help")) {
            Main.printUsage(tool, parser, out);
            return Optional.empty();
        }
        return Optional.of(options);
    }

    /** For tools that take options only: a stray word is refused. */
    static void noArguments(OptionSet options) throws UsageException {
        if (!options.nonOptionArguments().isEmpty()) {
            throw new UsageException("unexpected argument '" + options.nonOptionArguments().get(0) + "' (try --help)");
        }
    }

    /**
     * A word one of the enums' {@code fromLabel} methods reads ({@code Transport}, {@code Handshake},
     * {@code Placement}); its one-line error, which names the choices, becomes a usage error.
     */
    static <T> T label(Function<String, T> fromLabel, String value) throws UsageException {
        try {
            return fromLabel.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static int intInRange(String name, String value, int min, int max) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** An address of either family, with or without brackets: {@code 127.0.0.1}, {@code ::1}, {@code [::1]}. */
    static InetAddress address(String what, String value) throws UsageException {
        try {
            return HostPort.address(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(what + ": " + e.getMessage());
        }
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    static InetSocketAddress hostPort(String value) throws UsageException {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, or plain seconds. */
    static java.time.Duration duration(String name, String value) throws UsageException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)?").matcher(value.trim());
        if (!m.matches()) {
            throw new UsageException("--" + name + " expects a duration like 10s, 500ms or 2m, got '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        java.time.Duration d = unit.equals("ms") ? java.time.Duration.ofMillis(n)
                : unit.equals("m") ? java.time.Duration.ofMinutes(n) : java.time.Duration.ofSeconds(n);
        if (d.compareTo(java.time.Duration.ofHours(24)) > 0) {
            throw new UsageException("--" + name + " longer than 24 hours: " + value);
        }
        return d;
    }

    /** A CPU list as taskset takes it: {@code 0}, {@code 0,1}, {@code 0-3}. */
    static BitSet cpuList(String value) throws UsageException {
        BitSet set = new BitSet();
        for (String part : value.split(",")) {
            String[] range = part.trim().split("-", -1);
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2 || from < 0 || to < from || to > 1023) {
                    throw new NumberFormatException();
                }
                set.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new UsageException("--cpus expects a list like 0 or 0,1 or 0-3, got '" + value + "'");
            }
        }
        int available = Runtime.getRuntime().availableProcessors();
        if (set.length() > available) {
            throw new UsageException("--cpus " + value + ": this machine has CPUs 0-" + (available - 1));
        }
        return set;
    }
}

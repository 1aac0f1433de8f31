package tfobench.cli;

import tfobench.AddressFamily;
import tfobench.Transport;
import tfobench.bench.CookieMiss;
import tfobench.bench.Placement;
import tfobench.client.CalcClient;
import tfobench.client.ClientOptions;
import tfobench.client.Clients;
import tfobench.client.Exchange;
import tfobench.client.Handshake;
import tfobench.client.SynData;
import tfobench.linux.CpuAffinity;
import tfobench.linux.Errno;
import tfobench.linux.ErrnoException;
import tfobench.linux.TcpMetrics;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.protocol.Request;
import tfobench.protocol.Response;
import tfobench.server.CalcServer;
import tfobench.server.ServerConfig;
import tfobench.server.Servers;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What backs every "can run" line of the preflight: each scenario tried once, for real, in the namespace the run
 * uses, with the same servers, clients and evidence the benchmarks use. A scenario is "yes" only when its
 * exchanges were answered and their evidence said what the benchmark will demand; otherwise "no", with what
 * happened and the fix. A placement is "yes" only when a thread was pinned to each of its CPUs.
 */
final class ScenarioTrials {
    static final String COLD = "cold";
    static final String KEEPALIVE = "keepalive";
    static final String TFO = "tfo";
    static final String TFO_CONNECT = "tfo-connect";
    static final String COOKIE_FRESH = "cookie-request";
    static final String COOKIE_NETLINK = "cookie-request netlink-delete";
    static final String IPV6 = "family ipv6";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** scenario -> per transport, what went wrong (absent: it worked). */
    private final Map<String, Map<Transport, String>> failures = new LinkedHashMap<>();
    private final List<Transport> tried = new ArrayList<>();

    private ScenarioTrials() {
        for (String s : List.of(COLD, KEEPALIVE, TFO, TFO_CONNECT, COOKIE_FRESH, COOKIE_NETLINK, IPV6)) {
            failures.put(s, new LinkedHashMap<>());
        }
    }

    /**
     * Tries every scenario on each transport given (those whose library loaded). Fast open scenarios are not
     * tried when {@code fastOpenWhyNot} says the sysctl rules them out: that reason is their answer.
     */
    static Map<String, String> run(List<Transport> transports, String fastOpenWhyNot) {
        ScenarioTrials trials = new ScenarioTrials();
        for (Transport t : transports) {
            trials.tried.add(t);
            trials.tryPlain(t);
            if (fastOpenWhyNot == null) {
                trials.tryFastOpen(t);
                trials.tryCookieRequestAtFreshAddresses(t);
                trials.tryIpv6(t);
            }
        }
        Map<String, String> answers = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Transport, String>> s : trials.failures.entrySet()) {
            boolean fastOpen = !s.getKey().equals(COLD) && !s.getKey().equals(KEEPALIVE);
            answers.put(s.getKey(), fastOpen && fastOpenWhyNot != null ? "no: " + fastOpenWhyNot
                    : trials.answer(s.getValue()));
        }
        return answers;
    }

    private String answer(Map<Transport, String> failed) {
        if (tried.isEmpty()) {
            return "no: no transport could be tried";
        }
        if (failed.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (Transport t : tried) {
                names.append(names.length() == 0 ? "" : ", ").append(t.label());
            }
            return "yes (tried: " + names + ")";
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>(); // one line per reason, naming its transports
        for (Map.Entry<Transport, String> f : failed.entrySet()) {
            byReason.computeIfAbsent(f.getValue(), r -> new ArrayList<>()).add(f.getKey().label());
        }
        StringBuilder why = new StringBuilder("no: ");
        for (Map.Entry<String, List<String>> r : byReason.entrySet()) {
            why.append(why.length() == 4 ? "" : "; ").append(String.join(", ", r.getValue())).append(": ")
                    .append(r.getKey());
        }
        return why.toString();
    }

    /** Cold (no SYN data) and keep-alive (the second request reuses the connection) against a plain listener. */
    private void tryPlain(Transport t) {
        try (CalcServer plain = Servers.start(ServerConfig.plain(t).withBind(address(127, 0, 99, 1)))) {
            attempt(COLD, t, () -> {
                try (CalcClient cold = client(t, Handshake.COLD, plain.address())) {
                    expect(cold, SynData.NOT_SENT);
                }
            });
            attempt(KEEPALIVE, t, () -> {
                try (CalcClient kept = client(t, Handshake.KEEPALIVE, plain.address())) {
                    expect(kept, SynData.NOT_SENT);
                    expect(kept, SynData.REUSED);
                }
            });
        } catch (Exception e) {
            failures.get(COLD).put(t, "plain server did not start: " + e.getMessage());
            failures.get(KEEPALIVE).put(t, "plain server did not start: " + e.getMessage());
        }
    }

    /**
     * A fast open listener on a loopback address this namespace never used: the first connection must request a
     * cookie, the next carry the request in the SYN, acknowledged, with sendto(MSG_FASTOPEN) and with
     * TCP_FASTOPEN_CONNECT. Then the root-only way to a cookie request: delete the cookie over netlink.
     */
    private void tryFastOpen(Transport t) {
        InetSocketAddress fresh;
        try {
            fresh = new InetSocketAddress(UnusedLoopbackAddresses.nextNow(), 0);
        } catch (Exception e) {
            for (String s : List.of(TFO, TFO_CONNECT, COOKIE_NETLINK)) {
                failures.get(s).put(t, "cannot read the cookie cache: " + e.getMessage());
            }
            return;
        }
        try (CalcServer server = Servers.start(ServerConfig.fastOpen(t).withBind(fresh))) {
            attempt(TFO, t, () -> {
                try (CalcClient tfo = client(t, Handshake.TFO, server.address())) {
                    expect(tfo, SynData.COOKIE_REQUESTED);
                    expect(tfo, SynData.ACKED);
                }
            });
            attempt(TFO_CONNECT, t, () -> {
                try (CalcClient connect = client(t, Handshake.TFO_CONNECT, server.address())) {
                    expect(connect, SynData.ACKED);
                }
            });
            attempt(COOKIE_NETLINK, t, () -> {
                try (TcpMetrics metrics = TcpMetrics.open();
                     CalcClient tfo = client(t, Handshake.TFO, server.address())) {
                    try {
                        metrics.delete((Inet4Address) server.address().getAddress());
                    } catch (ErrnoException e) {
                        throw e.errno() == Errno.EPERM ? new IllegalStateException(CookieMiss.NEEDS_ROOT) : e;
                    }
                    expect(tfo, SynData.COOKIE_REQUESTED);
                }
            });
        } catch (Exception e) {
            for (String s : List.of(TFO, TFO_CONNECT, COOKIE_NETLINK)) {
                failures.get(s).put(t, "fast open server did not start: " + e.getMessage());
            }
        }
    }

    /** The cookie request benchmark's default way: a wildcard listener reached at two never-used addresses. */
    private void tryCookieRequestAtFreshAddresses(Transport t) {
        attempt(COOKIE_FRESH, t, () -> {
            InetAddress wildcard = CookieMiss.FRESH_ADDRESS.serverAddress(AddressFamily.IPV4, null);
            UnusedLoopbackAddresses addresses = UnusedLoopbackAddresses.inThisNamespace().catchUp();
            try (CalcServer server = Servers.start(ServerConfig.fastOpen(t).withBind(new InetSocketAddress(wildcard,
                    0)));
                 CalcClient client = client(t, Handshake.TFO, server.address())) {
                for (int i = 0; i < 2; i++) {
                    client.retarget(new InetSocketAddress(addresses.next(), server.address().getPort()));
                    expect(client, SynData.COOKIE_REQUESTED);
                }
            }
        });
    }

    /**
     * {@code -p family=ipv6}: a fast open server on an IPv6 address of the namespace's local prefix that no
     * connection has used: a cookie request, then the request in the SYN, acked; and a cold connection.
     */
    private void tryIpv6(Transport t) {
        attempt(IPV6, t, () -> {
            String whyNot = tfobench.linux.PrivateNetns.ipv6WhyNot();
            if (whyNot != null) {
                throw new IllegalStateException(whyNot);
            }
            InetSocketAddress fresh = new InetSocketAddress(UnusedLoopbackAddresses.inThisNamespace(AddressFamily.IPV6)
                    .next(), 0);
            try (CalcServer server = Servers.start(ServerConfig.fastOpen(t).withBind(fresh));
                 CalcClient tfo = client(t, Handshake.TFO, server.address());
                 CalcClient cold = client(t, Handshake.COLD, server.address())) {
                expect(tfo, SynData.COOKIE_REQUESTED);
                expect(tfo, SynData.ACKED);
                expect(cold, SynData.NOT_SENT);
            }
        });
    }

    /**
     * Pins a new thread to the client CPUs and then the server CPUs of each placement plan and reads the affinity
     * back: "yes" only when the kernel took both.
     */
    static Map<String, String> tryPlacements(BitSet allowed) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (Placement p : List.of(Placement.SAME_CPU, Placement.CROSS_CPU)) {
            Placement.CpuPlan plan;
            try {
                plan = p.plan(allowed);
            } catch (RuntimeException e) {
                answers.put("placement " + p.label(), "no: " + e.getMessage());
                continue;
            }
            AtomicReference<String> outcome = new AtomicReference<>();
            Thread pinner = new Thread(() -> outcome.set(pinBoth(plan)), "preflight-pin-" + p.label());
            pinner.start();
            try {
                pinner.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome.compareAndSet(null, "interrupted");
            }
            answers.put("placement " + p.label(), outcome.get() == null ? "no: pinning did not return within 10 s"
                    : outcome.get());
        }
        return answers;
    }

    private static String pinBoth(Placement.CpuPlan plan) {
        try {
            for (BitSet cpus : List.of(plan.client(), plan.server())) {
                CpuAffinity.pinCurrentThread(cpus);
                BitSet now = CpuAffinity.currentThreadAffinity();
                if (!now.equals(cpus)) {
                    return "no: asked for CPU " + cpus + ", the kernel left the thread on " + now;
                }
            }
            return "yes (a thread pinned to " + plan + ")";
        } catch (ErrnoException e) {
            return "no: " + e.getMessage() + "; give the JVM the CPUs (taskset) or use another placement";
        }
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private void attempt(String scenario, Transport t, Attempt attempt) {
        try {
            attempt.run();
        } catch (Exception | AssertionError e) {
            failures.get(scenario).put(t, String.valueOf(e.getMessage()));
        }
    }

    private static void expect(CalcClient client, SynData expected) throws Exception {
        Exchange e = client.exchange(Request.ONE_PLUS_ONE);
        if (!Response.TWO.equals(e.response())) {
            throw new IllegalStateException("wrong answer to 1 + 1: " + e.response());
        }
        if (e.synData() != expected) {
            throw new IllegalStateException("expected SYN data '" + expected.description() + "', the kernel said '"
                    + e.synData().description() + "'");
        }
    }

    private static CalcClient client(Transport t, Handshake h, InetSocketAddress server) throws Exception {
        return Clients.create(t, h, server, ClientOptions.defaults().withTimeout(TIMEOUT));
    }

    private static InetSocketAddress address(int a, int b, int c, int d) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 0);
    }
}

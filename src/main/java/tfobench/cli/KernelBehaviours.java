package tfobench.cli;

import tfobench.linux.ErrnoException;
import tfobench.linux.Errno;
import tfobench.linux.FastOpenBlackhole;
import tfobench.linux.PrivateNetns;
import tfobench.linux.ProbeSocket;
import tfobench.linux.ProcFs;
import tfobench.linux.RawListener;
import tfobench.linux.SynDrop;
import tfobench.linux.Syscalls;
import tfobench.linux.TcpExtCounters;
import tfobench.linux.TcpInfo;
import tfobench.linux.UnusedLoopbackAddresses;
import tfobench.protocol.Operator;
import tfobench.protocol.Request;
import tfobench.protocol.RequestEncoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fast open behaviours that differ between kernel versions, each observed on the running kernel, not looked up
 * in a changelog: raw listeners that nobody serves ({@link RawListener}) and client sockets whose {@code TCP_INFO}
 * and the namespace's {@code TcpExt} counters say what happened ({@link ProbeSocket}). Each behaviour is one check
 * of {@code check}: PASS (the behaviour is there and does what it should), FAIL (it is there and does not), or not
 * on this kernel (the kernel predates it: the evidence says what it did instead).
 *
 * <ul>
 *   <li>{@code client-fail-reasons}: {@code tcpi_fastopen_client_fail} (5.5+) names all three reasons: cookie
 *       unavailable, SYN data not acknowledged, SYN retransmitted (its SYN dropped once, see {@link SynDrop}).</li>
 *   <li>{@code fastopen-connect}: with {@code TCP_FASTOPEN_CONNECT} (4.11+) and a cookie, {@code connect()}
 *       returns before any SYN is sent (state SYN_SENT) and the first {@code send()} carries its data in the SYN.</li>
 *   <li>{@code backup-key}: a listener's cookie key rotated to a new primary with the old one as backup (5.3+)
 *       still accepts the old cookie ({@code TCPFastOpenPassiveAltKey}); rotated without backup, it does not.</li>
 *   <li>{@code tw-reuse-delay}: {@code tcp_tw_reuse_delay} (6.13+) sets how long a TIME_WAIT port waits before a
 *       new connection may reuse it; before, reuse came with the next whole second of the last timestamp.</li>
 *   <li>{@code tfo-child-flag}: the server's accepted socket of a fast open connection has
 *       {@code TCPI_OPT_TFO_CHILD} in {@code tcpi_options} (2025 kernels); a cold one does not.</li>
 *   <li>{@code blackhole-default} and {@code blackhole-detection}: see {@link FastOpenBlackhole}; the SYNs of a
 *       fast open connection dropped until it times out three times, first with the namespace's default timeout,
 *       then with the old default 3600 s.</li>
 * </ul>
 */
final class KernelBehaviours {
    /** How one behaviour turned out. */
    enum Status {
        PASS("PASS", "pass"),
        FAIL("FAIL", "fail"),
        NOT_ON_THIS_KERNEL("N/A", "not on this kernel"),
        NOT_RUN("SKIP", "not run");

        final String column;
        final String json;

        Status(String column, String json) {
            this.column = column;
            this.json = json;
        }
    }

    /** Receives each behaviour's result. */
    interface Recorder {
        void record(String check, String behaviour, Status status, String observed, String evidence);
    }

    static final String CLIENT_FAIL = "tcpi_fastopen_client_fail reasons";
    static final String FASTOPEN_CONNECT = "TCP_FASTOPEN_CONNECT";
    static final String BACKUP_KEY = "backup key on rotation";
    static final String TW_REUSE_DELAY = "tcp_tw_reuse_delay";
    static final String TFO_CHILD = "TCPI_OPT_TFO_CHILD";
    static final String BLACKHOLE_DEFAULT = "blackhole detection default";
    static final String BLACKHOLE = "blackhole detection, caused";
    /** The behaviour rows in the order the kernel matrix shows them. */
    static final List<String> ROWS = List.of(CLIENT_FAIL, FASTOPEN_CONNECT, BACKUP_KEY, TW_REUSE_DELAY, TFO_CHILD,
            BLACKHOLE_DEFAULT, BLACKHOLE);
    /** Each row's check name, in the same order. */
    static final String CLIENT_FAIL_CHECK = "client-fail-reasons";
    static final String FASTOPEN_CONNECT_CHECK = "fastopen-connect";
    static final String BACKUP_KEY_CHECK = "backup-key";
    static final String TW_REUSE_DELAY_CHECK = "tw-reuse-delay";
    static final String TFO_CHILD_CHECK = "tfo-child-flag";
    static final String BLACKHOLE_DEFAULT_CHECK = "blackhole-default";
    static final String BLACKHOLE_CHECK = "blackhole-detection";
    static final List<String> CHECKS = List.of(CLIENT_FAIL_CHECK, FASTOPEN_CONNECT_CHECK, BACKUP_KEY_CHECK,
            TW_REUSE_DELAY_CHECK, TFO_CHILD_CHECK, BLACKHOLE_DEFAULT_CHECK, BLACKHOLE_CHECK);

    /** The delay the TIME_WAIT check asks for: above the whole second older kernels wait at most. */
    static final int TW_REUSE_DELAY_MILLIS = 1500;
    private static final byte[] REQUEST = RequestEncoder.encode(new Request(1, Operator.ADD, 1, true));
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long a SYN-dropping episode may take: three timeouts are 3 s (6.5+, linear) or 7 s, more when loaded. */
    private static final Duration EPISODE = Duration.ofSeconds(60);

    private final Recorder recorder;
    private final boolean privateNamespace;
    private final boolean netem;
    private final UnusedLoopbackAddresses fresh;

    /**
     * @param privateNamespace the checks may change this namespace's sysctls (it was made for the check)
     * @param netem            SYNs are dropped with netem (else with a full accept queue)
     */
    KernelBehaviours(Recorder recorder, boolean privateNamespace, boolean netem) throws ErrnoException {
        this.recorder = recorder;
        this.privateNamespace = privateNamespace;
        this.netem = netem && privateNamespace;
        this.fresh = UnusedLoopbackAddresses.inThisNamespace().catchUp();
    }

    /** Every behaviour, the blackhole last (it leaves detection off in this namespace). */
    void runAll() throws Exception {
        clientFailReasons();
        fastOpenConnect();
        backupKey();
        twReuseDelay();
        tfoChildFlag();
        blackhole();
    }

    /** Records every behaviour as not run, for this reason. */
    void skipAll(String why) {
        for (int i = 0; i < ROWS.size(); i++) {
            recorder.record(CHECKS.get(i), ROWS.get(i), Status.NOT_RUN, "not run", why);
        }
    }

    // ------------------------------------------------------------------ tcpi_fastopen_client_fail

    void clientFailReasons() throws Exception {
        int[] seen = new int[3];
        List<String> evidence = new ArrayList<>();
        InetAddress address = fresh.next();
        try (RawListener tfo = RawListener.open(address, 16, 8)) {
            try (ProbeSocket first = fastOpen(tfo.address(), true)) {
                seen[0] = first.info().fastopenClientFail();
            }
            tfo.drain();
            evidence.add("first fast open to a listener (no cookie): " + seen[0]);
        }
        // The cookie is cached per address: a listener without fast open on the same address gets data in the SYN
        // with that cookie and acknowledges only the SYN.
        try (RawListener plain = RawListener.open(address, 0, 8)) {
            try (ProbeSocket notAcked = fastOpen(plain.address(), true)) {
                seen[1] = notAcked.info().fastopenClientFail();
            }
            plain.drain();
            evidence.add("data in the SYN to a listener without fast open: " + seen[1]);
        }
        try (SynDrop drop = SynDrop.open(fresh.next(), netem)) {
            drop.engage();
            try (ProbeSocket lost = fastOpen(drop.address(), false)) {
                boolean dropped = drop.awaitDrop(TIMEOUT);
                drop.release();
                TcpInfo info = awaitState(lost, TcpInfo.TCP_ESTABLISHED, TIMEOUT);
                seen[2] = info.fastopenClientFail();
                evidence.add("data in the SYN, that SYN dropped (" + (dropped ? "" : "NOT SEEN DROPPED: ")
                        + drop.how() + "), the retransmitted one answered: " + seen[2] + " (" + lost.sent()
                        + " bytes were in the first SYN, state " + info.state() + ")");
            }
        }
        boolean all = seen[0] == TcpInfo.TFO_COOKIE_UNAVAILABLE && seen[1] == TcpInfo.TFO_DATA_NOT_ACKED
                && seen[2] == TcpInfo.TFO_SYN_RETRANSMITTED;
        boolean none = seen[0] == 0 && seen[1] == 0 && seen[2] == 0;
        String observed = all ? "1 cookie unavailable, 2 data not acked, 3 SYN retransmitted"
                : none ? "always 0" : "reasons " + seen[0] + ", " + seen[1] + ", " + seen[2] + " (expected 1, 2, 3)";
        recorder.record(CLIENT_FAIL_CHECK, CLIENT_FAIL, all ? Status.PASS
                : none ? Status.NOT_ON_THIS_KERNEL : Status.FAIL, observed,
                (none ? "the kernel gives no reason (tcpi_fastopen_client_fail is 5.5+); " : "")
                        + String.join("; ", evidence));
    }

    // ------------------------------------------------------------------ TCP_FASTOPEN_CONNECT

    void fastOpenConnect() throws Exception {
        try (RawListener tfo = RawListener.open(fresh.next(), 16, 8)) {
            try (ProbeSocket cookie = fastOpen(tfo.address(), true)) {
                cookie.info();
            }
            tfo.drain();
            ProbeSocket client;
            try {
                client = ProbeSocket.fastOpenConnect(tfo.address(), TIMEOUT);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENOPROTOOPT) {
                    recorder.record(FASTOPEN_CONNECT_CHECK, FASTOPEN_CONNECT, Status.NOT_ON_THIS_KERNEL, "no such option",
                            "setsockopt(TCP_FASTOPEN_CONNECT): ENOPROTOOPT (the option is 4.11+)");
                    return;
                }
                throw e;
            }
            try (client) {
                int stateAfterConnect = client.info().state();
                client.send(REQUEST);
                int child = tfo.awaitConnection(TIMEOUT);
                Syscalls.closeQuietly(child);
                TcpInfo info = awaitState(client, TcpInfo.TCP_ESTABLISHED, TIMEOUT);
                boolean deferred = stateAfterConnect == TcpInfo.TCP_SYN_SENT;
                boolean ok = deferred && info.synDataAcked();
                recorder.record(FASTOPEN_CONNECT_CHECK, FASTOPEN_CONNECT, ok ? Status.PASS : Status.FAIL,
                        ok ? "connect() deferred, data in the SYN acked"
                                : (deferred ? "connect() deferred" : "connect() not deferred") + ", SYN data "
                                        + (info.synDataAcked() ? "acked" : "NOT acked"),
                        "with a cookie cached, a blocking connect() returned in state " + stateName(stateAfterConnect)
                                + " (nothing sent yet); the first send() of " + REQUEST.length + " bytes went in the "
                                + "SYN: tcpi_options 0x" + Integer.toHexString(info.options()) + " ("
                                + (info.synDataAcked() ? "" : "no ") + "TCPI_OPT_SYN_DATA)");
            }
        }
    }

    // ------------------------------------------------------------------ backup key

    void backupKey() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] first = new byte[RawListener.KEY_BYTES];
        byte[] second = new byte[RawListener.KEY_BYTES];
        byte[] third = new byte[RawListener.KEY_BYTES];
        random.nextBytes(first);
        random.nextBytes(second);
        random.nextBytes(third);
        try (RawListener tfo = RawListener.open(fresh.next(), 16, 8)) {
            tfo.setFastOpenKeys(first, null);
            Attempt cookie = attempt(tfo);
            Attempt withCookie = attempt(tfo);
            tfo.setFastOpenKeys(second, null); // rotated, the old key forgotten
            Attempt rotatedAlone = attempt(tfo);
            try {
                tfo.setFastOpenKeys(third, second); // rotated again, the previous key kept as backup
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINVAL) {
                    recorder.record(BACKUP_KEY_CHECK, BACKUP_KEY, Status.NOT_ON_THIS_KERNEL, "one key only",
                            "setsockopt(TCP_FASTOPEN_KEY) with a primary and a backup key (32 bytes): EINVAL (backup "
                                    + "keys are 5.3+); rotated without one, the old cookie was "
                                    + (rotatedAlone.acked ? "still ACCEPTED" : "rejected (" + rotatedAlone + ")"));
                    return;
                }
                throw e;
            }
            Attempt withBackup = attempt(tfo);
            Attempt afterwards = attempt(tfo);
            boolean ok = cookie.fail == TcpInfo.TFO_COOKIE_UNAVAILABLE && withCookie.acked && !rotatedAlone.acked
                    && withBackup.acked && withBackup.altKey == 1 && afterwards.acked && afterwards.altKey == 0;
            recorder.record(BACKUP_KEY_CHECK, BACKUP_KEY, ok ? Status.PASS : Status.FAIL,
                    ok ? "old cookie accepted by the backup key, then replaced" : "unexpected: see evidence",
                    "listener key rotated without a backup: the old cookie " + rotatedAlone + "; rotated again "
                            + "with the previous key as backup: the old cookie " + withBackup + "; next connection "
                            + afterwards + " (the SYN-ACK had carried a cookie of the new primary key)");
        } finally {
            Arrays.fill(first, (byte) 0);
            Arrays.fill(second, (byte) 0);
            Arrays.fill(third, (byte) 0);
        }
    }

    /** One fast open connection to a listener and what client and counters said. */
    private record Attempt(boolean acked, int fail, long altKey, long passiveFail) {
        @Override
        public String toString() {
            return (acked ? "acked" : "not acked (tcpi_fastopen_client_fail " + fail + ")")
                    + " with TCPFastOpenPassiveAltKey +" + altKey + ", TCPFastOpenPassiveFail +" + passiveFail;
        }
    }

    private Attempt attempt(RawListener listener) throws Exception {
        TcpExtCounters before = TcpExtCounters.read();
        TcpInfo info;
        try (ProbeSocket client = fastOpen(listener.address(), true)) {
            info = client.info();
        }
        listener.drain();
        TcpExtCounters delta = TcpExtCounters.read().minus(before);
        return new Attempt(info.synDataAcked(), info.fastopenClientFail(), delta.get("TCPFastOpenPassiveAltKey"),
                delta.get("TCPFastOpenPassiveFail"));
    }

    // ------------------------------------------------------------------ tcp_tw_reuse_delay

    void twReuseDelay() throws Exception {
        if (!privateNamespace) {
            recorder.record(TW_REUSE_DELAY_CHECK, TW_REUSE_DELAY, Status.NOT_RUN, "not run",
                    "changes the namespace's port range: the check does that only in a private namespace");
            return;
        }
        Path delayFile = Path.of("/proc/sys/net/ipv4/tcp_tw_reuse_delay");
        boolean hasDelay = Files.exists(delayFile);
        String oldRange = ProcFs.readSysctl(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        String oldDelay = hasDelay ? ProcFs.readSysctl(delayFile) : null;
        try (RawListener plain = RawListener.open(fresh.next(), 0, 64)) {
            int port = freePort();
            // One ephemeral port only: once it is in TIME_WAIT, connect() to the same server can only reuse it.
            PrivateNetns.setIpv4Sysctl("ip_local_port_range", port + " " + port);
            if (hasDelay) {
                PrivateNetns.setIpv4Sysctl("tcp_tw_reuse_delay", Integer.toString(TW_REUSE_DELAY_MILLIS));
            }
            try (ProbeSocket first = ProbeSocket.connect(plain.address(), TIMEOUT)) {
                int child = plain.awaitConnection(TIMEOUT);
                first.close(); // the client closes first: its side goes to TIME_WAIT once the server closes too
                Syscalls.closeQuietly(child);
            }
            long closed = System.nanoTime();
            int refused = 0;
            long reusedAfter = -1;
            while (System.nanoTime() - closed < Duration.ofSeconds(10).toNanos()) {
                try (ProbeSocket again = ProbeSocket.connect(plain.address(), TIMEOUT)) {
                    reusedAfter = (System.nanoTime() - closed) / 1_000_000;
                    int reusedPort = again.localAddress().getPort();
                    if (reusedPort != port) {
                        throw new IllegalStateException("connect() used port " + reusedPort + ", not " + port);
                    }
                    break;
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EADDRNOTAVAIL) {
                        throw e;
                    }
                    refused++;
                    Thread.sleep(10);
                }
            }
            plain.drain();
            String after = reusedAfter < 0 ? "not reused within 10 s" : "reused after " + reusedAfter + " ms";
            String evidence = "ip_local_port_range " + port + "-" + port + ", tcp_tw_reuse=2 (loopback): the "
                    + "TIME_WAIT port was " + after + ", connect() refused with EADDRNOTAVAIL " + refused + " time(s) "
                    + "before";
            if (!hasDelay) {
                recorder.record(TW_REUSE_DELAY_CHECK, TW_REUSE_DELAY, Status.NOT_ON_THIS_KERNEL,
                        reusedAfter < 0 ? "no sysctl; no reuse" : "no sysctl; reuse after " + reusedAfter + " ms",
                        "no tcp_tw_reuse_delay (6.13+): reuse waits for the next whole second after the last "
                                + "timestamp (0-1 s); " + evidence);
                return;
            }
            boolean ok = reusedAfter >= TW_REUSE_DELAY_MILLIS * 9L / 10 && reusedAfter <= TW_REUSE_DELAY_MILLIS + 2000L
                    && refused > 0;
            recorder.record(TW_REUSE_DELAY_CHECK, TW_REUSE_DELAY, ok ? Status.PASS : Status.FAIL,
                    String.format(Locale.ROOT, "set %d ms: %s", TW_REUSE_DELAY_MILLIS, after),
                    "tcp_tw_reuse_delay=" + TW_REUSE_DELAY_MILLIS + " (was " + oldDelay + "; expected reuse after "
                            + TW_REUSE_DELAY_MILLIS + " ms, not before): " + evidence);
        } finally {
            PrivateNetns.setIpv4Sysctl("ip_local_port_range", oldRange);
            if (oldDelay != null) {
                PrivateNetns.setIpv4Sysctl("tcp_tw_reuse_delay", oldDelay);
            }
        }
    }

    /** A port nothing in this namespace holds now (bound once to port 0, then let go). */
    private int freePort() throws Exception {
        try (RawListener probe = RawListener.open(InetAddress.getLoopbackAddress(), 0, 1)) {
            return probe.address().getPort();
        }
    }

    // ------------------------------------------------------------------ TCPI_OPT_TFO_CHILD

    void tfoChildFlag() throws Exception {
        int coldOptions;
        int fastOptions;
        boolean clientAcked;
        try (RawListener tfo = RawListener.open(fresh.next(), 16, 8)) {
            coldOptions = childOptions(tfo, fastOpen(tfo.address(), true)); // requests the cookie: a cold child
            ProbeSocket second = fastOpen(tfo.address(), true);
            clientAcked = second.info().synDataAcked();
            fastOptions = childOptions(tfo, second);
        }
        boolean fastHasData = (fastOptions & TcpInfo.TCPI_OPT_SYN_DATA) != 0;
        boolean fastFlag = (fastOptions & TcpInfo.TCPI_OPT_TFO_CHILD) != 0;
        boolean coldFlag = (coldOptions & TcpInfo.TCPI_OPT_TFO_CHILD) != 0;
        String evidence = String.format(Locale.ROOT, "server's accepted socket: cookie-request connection "
                + "tcpi_options 0x%x, fast open connection 0x%x (SYN data %s, client %s); TCPI_OPT_TFO_CHILD = 0x%x",
                coldOptions, fastOptions, fastHasData ? "received" : "NOT received", clientAcked ? "acked" : "not acked",
                TcpInfo.TCPI_OPT_TFO_CHILD);
        Status status;
        String observed;
        if (!fastHasData || !clientAcked) {
            status = Status.FAIL;
            observed = "no fast open child to look at";
        } else if (fastFlag && !coldFlag) {
            status = Status.PASS;
            observed = String.format(Locale.ROOT, "set on the fast open child (0x%x), not on the cold one", fastOptions);
        } else if (!fastFlag && !coldFlag) {
            status = Status.NOT_ON_THIS_KERNEL;
            observed = String.format(Locale.ROOT, "never set (fast open child 0x%x)", fastOptions);
        } else {
            status = Status.FAIL;
            observed = "set on a cold child";
        }
        recorder.record(TFO_CHILD_CHECK, TFO_CHILD, status, observed, evidence);
    }

    /** Accepts the connection {@code client} made, reads the accepted socket's tcpi_options, closes both. */
    private static int childOptions(RawListener listener, ProbeSocket client) throws Exception {
        try (client) {
            int child = listener.awaitConnection(TIMEOUT);
            try {
                return Syscalls.tcpInfo(child, new TcpInfo()).options();
            } finally {
                Syscalls.closeQuietly(child);
            }
        }
    }

    // ------------------------------------------------------------------ blackhole detection

    void blackhole() throws Exception {
        if (!privateNamespace) {
            String why = "changes tcp_fastopen_blackhole_timeout_sec: the check does that only in a private namespace";
            recorder.record(BLACKHOLE_DEFAULT_CHECK, BLACKHOLE_DEFAULT, Status.NOT_RUN, "not run", why);
            recorder.record(BLACKHOLE_CHECK, BLACKHOLE, Status.NOT_RUN, "not run", why);
            return;
        }
        FastOpenBlackhole start = FastOpenBlackhole.read();
        if (start.timeoutSeconds() < 0) {
            recorder.record(BLACKHOLE_DEFAULT_CHECK, BLACKHOLE_DEFAULT, Status.NOT_ON_THIS_KERNEL, "no detection",
                    start.evidence() + " (4.12+)");
            recorder.record(BLACKHOLE_CHECK, BLACKHOLE, Status.NOT_ON_THIS_KERNEL, "no detection",
                    start.evidence() + " (4.12+)");
            return;
        }
        int defaultTimeout = start.timeoutSeconds();
        try (SynDrop drop = SynDrop.open(fresh.next(), netem)) {
            Episode byDefault = dropUntilThreeTimeouts(drop);
            boolean expected = defaultTimeout > 0 == byDefault.fired;
            recorder.record(BLACKHOLE_DEFAULT_CHECK, BLACKHOLE_DEFAULT, expected ? Status.PASS : Status.FAIL,
                    defaultTimeout == 0 ? "0 s: off" : defaultTimeout + " s: on",
                    "a fresh namespace's tcp_fastopen_blackhole_timeout_sec is " + defaultTimeout + "; with it, a fast "
                            + "open connection whose SYNs were dropped (" + drop.how() + ") " + byDefault
                            + (expected ? "" : " (NOT what the timeout says)"));

            Episode caused = byDefault;
            String setting = "with the default " + defaultTimeout + " s";
            if (!byDefault.fired) {
                PrivateNetns.setIpv4Sysctl("tcp_fastopen_blackhole_timeout_sec",
                        Integer.toString(FastOpenBlackhole.OLD_DEFAULT_SECONDS));
                setting = "with tcp_fastopen_blackhole_timeout_sec set to the old default "
                        + FastOpenBlackhole.OLD_DEFAULT_SECONDS;
                caused = dropUntilThreeTimeouts(drop);
            }
            if (!caused.fired) {
                recorder.record(BLACKHOLE_CHECK, BLACKHOLE, Status.FAIL, "did not fire",
                        setting + ", a fast open connection whose SYNs were dropped " + caused);
                return;
            }
            // Detection fired: what a fast open connection looks like now, to the same (answering) listener.
            FastOpenBlackhole during = FastOpenBlackhole.probe();
            Attempt disabled = attempt(drop.listener());
            TcpExtCounters before = TcpExtCounters.read();
            PrivateNetns.setIpv4Sysctl("tcp_fastopen_blackhole_timeout_sec", "0");
            FastOpenBlackhole after = FastOpenBlackhole.probe();
            Attempt restored = attempt(drop.listener());
            long activeAfter = TcpExtCounters.read().minus(before).get("TCPFastOpenActive");
            boolean ok = during.active() && !disabled.acked && disabled.fail == TcpInfo.TFO_STATUS_UNSPEC
                    && !after.active() && restored.acked && activeAfter >= 1;
            recorder.record(BLACKHOLE_CHECK, BLACKHOLE, ok ? Status.PASS : Status.FAIL,
                    ok ? "fired after " + caused.seconds() + "; ended by timeout 0" : "unexpected: see evidence",
                    setting + ", SYNs dropped (" + drop.how() + "): " + caused + ". While it was active: "
                            + during.describe() + "; a fast open connection to the same listener, now answering, was "
                            + disabled + " (a plain SYN: what TCP_INFO shows for a blackholed namespace). Then "
                            + "tcp_fastopen_blackhole_timeout_sec=0: " + after.state().name().toLowerCase(Locale.ROOT)
                            + ", and the next fast open connection was " + restored + ". Detection stays off (0) for "
                            + "the rest of this check.");
        }
    }

    /** One blackhole episode: what the kernel did while a fast open connection's SYNs went unanswered. */
    private record Episode(boolean fired, long millis, int retransmits, int sentInSyn, long activeFail) {
        String seconds() {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }

        @Override
        public String toString() {
            return "carried " + sentInSyn + " bytes in its SYN, was retransmitted " + retransmits + " time(s) in "
                    + seconds() + ", and " + (fired ? "blackhole detection fired (" + FastOpenBlackhole.COUNTER
                    + " +1, TCPFastOpenActiveFail +" + activeFail + ")" : "detection did not fire ("
                    + FastOpenBlackhole.COUNTER + " +0)");
        }
    }

    /**
     * Sends the request with fast open (the client holds a cookie, so it goes in the SYN) while every SYN to the
     * listener is dropped, and waits until detection fires or the connection has timed out three times (the kernel
     * checks at each timeout: {@code tcp_write_timeout} calls {@code tcp_fastopen_active_detect_blackhole}, which
     * fires on the third).
     */
    private Episode dropUntilThreeTimeouts(SynDrop drop) throws Exception {
        TcpExtCounters before = TcpExtCounters.read();
        drop.engage();
        long start = System.nanoTime();
        try (ProbeSocket client = fastOpen(drop.address(), false)) {
            long deadline = start + EPISODE.toNanos();
            while (true) {
                // TCP_INFO first: the timer counts the detection before it retransmits, so counters read after a
                // third retransmission was seen include a detection at that timeout.
                TcpInfo info = client.info();
                TcpExtCounters delta = TcpExtCounters.read().minus(before);
                boolean fired = delta.get(FastOpenBlackhole.COUNTER) > 0;
                if (fired || info.retransmits() >= 3 || System.nanoTime() > deadline) {
                    return new Episode(fired, (System.nanoTime() - start) / 1_000_000, info.retransmits(),
                            client.sent(), delta.get("TCPFastOpenActiveFail"));
                }
                Thread.sleep(20);
            }
        } finally {
            drop.release();
            drop.listener().drain();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static ProbeSocket fastOpen(InetSocketAddress to, boolean wait) throws ErrnoException {
        ProbeSocket s = ProbeSocket.fastOpen(to, REQUEST, wait, TIMEOUT);
        if (s.sendError() != null && !(s.sendError().errno() == Errno.EINPROGRESS && !wait)) {
            s.close();
            throw s.sendError();
        }
        return s;
    }

    private static TcpInfo awaitState(ProbeSocket s, int state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        TcpInfo info = s.info();
        while (info.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(10);
            info = s.info();
        }
        return info;
    }

    private static String stateName(int state) {
        switch (state) {
            case TcpInfo.TCP_ESTABLISHED: return "ESTABLISHED";
            case TcpInfo.TCP_SYN_SENT: return "SYN_SENT";
            default: return "state " + state;
        }
    }
}

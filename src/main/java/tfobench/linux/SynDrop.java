package tfobench.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A fast open listener whose SYNs can be made to vanish, as behind a middlebox that blackholes fast open: the
 * client gets no answer and no error, and retransmits its SYN until it gives up. The client holds a cookie for the
 * listener from the start ({@link #open} makes one connection for it), so the first SYN of a fast open connection
 * carries data. netem only inside a private network namespace.
 *
 * <p>Two ways to drop, chosen by what the kernel has:
 * <ul>
 *   <li>netem: a {@code prio} root qdisc on {@code lo} whose third band is {@code netem loss 100%}, and a u32
 *       filter sending every SYN without ACK addressed to the listener there. netem reports its losses to the
 *       sender as sent, so the sending socket retransmits on its timer exactly as after a loss on the wire (a
 *       qdisc that refuses the packet instead, such as a full pfifo, makes the kernel give up fast open at once
 *       and retry the SYN as local congestion, which is not a blackhole).</li>
 *   <li>where the kernel has no netem: the listener's own accept queue, made full (backlog 0 and one connection
 *       never accepted). The kernel then drops every SYN it receives for it ({@code ListenOverflows}), after the
 *       SYN left the client normally.</li>
 * </ul>
 */
public final class SynDrop implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] ONE_BYTE = {'?'};
    private static final String LISTEN_OVERFLOWS = "ListenOverflows";

    private final RawListener listener;
    private final boolean netem;
    private boolean dropping;
    private long overflowsAtEngage;

    private SynDrop(RawListener listener, boolean netem) {
        this.listener = listener;
        this.netem = netem;
    }

    /**
     * A fast open listener on {@code address} (an address no connection used yet), with the client's cookie for it
     * cached; SYNs pass until {@link #engage()}.
     *
     * @param useNetem drop with netem (the kernel must have it: {@link LoopbackDelay#whyUnavailable()}); otherwise
     *                 with the full accept queue
     */
    public static SynDrop open(InetAddress address, boolean useNetem) throws IOException, InterruptedException {
        if (useNetem && !PrivateNetns.isPrivate()) {
            throw new MissingCapabilityException("refusing to put a qdisc on lo outside a private network namespace");
        }
        RawListener listener = RawListener.open(address, 16, useNetem ? 16 : 0);
        SynDrop drop = new SynDrop(listener, useNetem);
        try {
            try (ProbeSocket cookie = ProbeSocket.fastOpen(listener.address(), ONE_BYTE, true, TIMEOUT)) {
                if (cookie.sendError() != null) {
                    throw cookie.sendError();
                }
                int child = listener.awaitConnection(TIMEOUT);
                Syscalls.closeQuietly(child);
            }
            return drop;
        } catch (IOException | InterruptedException | RuntimeException e) {
            drop.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    public RawListener listener() {
        return listener;
    }

    /** How the SYNs are dropped, for the evidence. */
    public String how() {
        return netem ? "netem loss 100% on lo for SYNs to " + hostPort()
                : "accept queue of the listener at " + hostPort() + " kept full (backlog 0, one connection never "
                        + "accepted): the kernel drops its SYNs (ListenOverflows)";
    }

    /** From now on every SYN to the listener is dropped. */
    public void engage() throws IOException, InterruptedException {
        if (dropping) {
            return;
        }
        if (netem) {
            String dst = address().getAddress().getHostAddress() + "/32";
            LoopbackDelay.tc(List.of("qdisc", "replace", "dev", "lo", "root", "handle", "1:", "prio"));
            LoopbackDelay.tc(List.of("qdisc", "add", "dev", "lo", "parent", "1:3", "handle", "30:", "netem", "loss",
                    "100%"));
            // IPv4 header without options: TCP flags are byte 13 of the TCP header, 33 from the IP header; SYN set,
            // ACK clear.
            LoopbackDelay.tc(List.of("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1",
                    "u32", "match", "ip", "dst", dst, "match", "ip", "protocol", "6", "0xff",
                    "match", "u8", "0x02", "0x12", "at", "33", "flowid", "1:3"));
        } else {
            OptionalInt waiting = listener.acceptNow();
            if (waiting.isPresent()) {
                Syscalls.closeQuietly(waiting.getAsInt());
            }
            // The queue holds nothing now; one connection that is never accepted fills it (backlog 0).
            try (ProbeSocket filler = ProbeSocket.connect(address(), TIMEOUT)) {
                filler.info(); // established: it waits in the accept queue from now on, even after this close
            }
            overflowsAtEngage = TcpExtCounters.read().get(LISTEN_OVERFLOWS);
        }
        dropping = true;
    }

    /**
     * Waits until a SYN sent since {@link #engage()} was dropped: at once with netem, which drops while the sender
     * transmits; for the full accept queue, until the kernel counted the drop when loopback delivered the SYN.
     *
     * @return false if nothing was dropped within {@code timeout}
     */
    public boolean awaitDrop(Duration timeout) throws IOException, InterruptedException {
        if (netem) {
            return dropping;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (TcpExtCounters.read().get(LISTEN_OVERFLOWS) == overflowsAtEngage) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** SYNs pass again (the full accept queue is emptied). */
    public void release() throws IOException {
        if (!dropping) {
            return;
        }
        dropping = false;
        if (netem) {
            LoopbackDelay.tc(List.of("qdisc", "del", "dev", "lo", "root"));
        } else {
            listener.drain();
        }
    }

    private String hostPort() {
        return address().getAddress().getHostAddress() + ":" + address().getPort();
    }

    @Override
    public void close() {
        try {
            release();
        } catch (IOException | RuntimeException ignored) {
            // the namespace dies with the run anyway
        } finally {
            listener.close();
        }
    }
}

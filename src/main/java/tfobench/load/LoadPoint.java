package tfobench.load;

import tfobench.Transport;
import tfobench.client.Handshake;

import java.time.Duration;
import java.util.BitSet;

/**
 * One point of an open-loop run: new connections of one handshake started on a fixed schedule.
 *
 * @param handshake     cold, tfo or tfo-connect (each connection carries one request)
 * @param transport     client transport
 * @param ratePerSecond connections started per second, spread evenly
 * @param warmup        run at the rate first, not recorded
 * @param duration      measured part of the schedule
 * @param threads       client threads sharing the schedule round-robin (each blocks on its connection)
 * @param clientCpus    CPUs the client threads are pinned to, or null
 * @param allowFallback true: a fast open that fell back is counted, not a failure of the point
 * @param placement     the placement label the CPUs came from (same-cpu, cross-cpu, none; with {@code +rps} when
 *                      lo's flows were steered, see {@code LoopbackSteering}), for names and reports
 */
public record LoadPoint(Handshake handshake, Transport transport, int ratePerSecond, Duration warmup,
                        Duration duration, int threads, BitSet clientCpus, boolean allowFallback,
                        String placement) {
    public LoadPoint {
        if (handshake == Handshake.KEEPALIVE) {
            throw new IllegalArgumentException("open-loop load measures new connections: cold, tfo or tfo-connect");
        }
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 connection/s: " + ratePerSecond);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("duration must be positive and warm-up not negative");
        }
        clientCpus = clientCpus == null ? null : (BitSet) clientCpus.clone();
    }

    /** Connections in the warm-up part of the schedule. */
    long warmupConnections() {
        return Math.round(ratePerSecond * (warmup.toNanos() / 1e9));
    }

    /** Connections in the measured part of the schedule. */
    long measuredConnections() {
        return Math.max(1, Math.round(ratePerSecond * (duration.toNanos() / 1e9)));
    }

    /** Nanoseconds between intended starts. */
    double intervalNanos() {
        return 1e9 / ratePerSecond;
    }

    /** Name for files: {@code cross-cpu-native-tfo-5000}. */
    String name() {
        return placement + "-" + transport.label() + "-" + handshake.label() + "-" + ratePerSecond;
    }
}

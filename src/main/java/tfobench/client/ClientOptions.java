package tfobench.client;

import java.time.Duration;
import java.util.BitSet;

/**
 * @param timeout  longest wait to connect, or for a response (blocking calls fail with a timeout after it)
 * @param cpus     CPUs the client's threads are pinned to (Netty's event loop; the native client runs on the
 *                 caller's thread, which the caller pins), or null
 * @param socketTimeouts native client: bound every blocking call by {@code timeout} with {@code SO_RCVTIMEO} and
 *                 {@code SO_SNDTIMEO} on each new socket (two system calls per connection). Off only to measure
 *                 what they cost: a server that stops answering then hangs the client for good.
 */
public record ClientOptions(Duration timeout, BitSet cpus, boolean socketTimeouts) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ClientOptions {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        cpus = cpus == null ? null : (BitSet) cpus.clone();
    }

    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_TIMEOUT, null, true);
    }

    public ClientOptions withCpus(BitSet set) {
        return new ClientOptions(timeout, set, socketTimeouts);
    }

    public ClientOptions withTimeout(Duration t) {
        return new ClientOptions(t, cpus, socketTimeouts);
    }

    public ClientOptions withSocketTimeouts(boolean on) {
        return new ClientOptions(timeout, cpus, on);
    }

    @Override
    public BitSet cpus() {
        return cpus == null ? null : (BitSet) cpus.clone();
    }
}

package tfobench.client;

import java.time.Duration;
import java.util.BitSet;

/**
 * @param timeout  longest wait to connect, or for a response (blocking calls fail with a timeout after it)
 * @param cpus     CPUs the client's threads are pinned to (Netty's event loop; the native client runs on the
 *                 caller's thread, which the caller pins), or null
 */
public record ClientOptions(Duration timeout, BitSet cpus) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ClientOptions {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        cpus = cpus == null ? null : (BitSet) cpus.clone();
    }

    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_TIMEOUT, null);
    }

    public ClientOptions withCpus(BitSet set) {
        return new ClientOptions(timeout, set);
    }

    public ClientOptions withTimeout(Duration t) {
        return new ClientOptions(t, cpus);
    }

    @Override
    public BitSet cpus() {
        return cpus == null ? null : (BitSet) cpus.clone();
    }
}

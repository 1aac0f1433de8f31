package tfobench.client;

import org.junit.jupiter.api.Test;
import tfobench.HarnessSwitches;
import tfobench.linux.Syscalls;
import tfobench.testing.Loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The options the native client sets on each socket, read back from the kernel: each is a system call per
 * connection, so each is there for a reason (docs/COST.md) and the harness switches change exactly them.
 */
class NativeClientSocketOptionsTest {

    @Test
    void aOneShotSocketHasTheTimeoutsButNotNoDelayAndTheKeptAliveOneHasBoth() throws Exception {
        assertNull(System.getProperty(HarnessSwitches.PROPERTY), "the test measures the defaults");
        NativeClient client = new NativeClient(Loopback.fresh(), Handshake.COLD, ClientOptions.defaults());
        int oneShot = client.newSocket(false);
        int keptAlive = client.newSocket(true);
        try {
            assertEquals(0, Syscalls.getInt(oneShot, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY));
            assertEquals(1, Syscalls.getInt(keptAlive, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY));
            for (int fd : new int[] {oneShot, keptAlive}) {
                // the first four bytes of struct timeval: the whole seconds of the 5 s default timeout
                assertEquals(5, Syscalls.getInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVTIMEO));
                assertEquals(5, Syscalls.getInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDTIMEO));
            }
        } finally {
            Syscalls.closeQuietly(oneShot);
            Syscalls.closeQuietly(keptAlive);
        }
    }

    @Test
    void withoutSocketTimeoutsTheSocketWaitsForEver() throws Exception {
        NativeClient client = new NativeClient(Loopback.fresh(), Handshake.TFO,
                ClientOptions.defaults().withSocketTimeouts(false));
        int fd = client.newSocket(false);
        try {
            assertEquals(0, Syscalls.getInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVTIMEO));
            assertEquals(0, Syscalls.getInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDTIMEO));
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }
}

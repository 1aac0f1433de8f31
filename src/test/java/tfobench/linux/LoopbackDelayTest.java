package tfobench.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tfobench.testing.FastOpenNamespace;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** netem on the private namespace's lo: a real delay where the kernel has it, one clear line where it has not. */
class LoopbackDelayTest {
    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void delaysEachDirectionByHalfTheRttInMicroseconds() {
        assertEquals(List.of("qdisc", "replace", "dev", "lo", "root", "netem", "delay", "25000us"),
                LoopbackDelay.replaceArguments(50));
        assertEquals("7500us", LoopbackDelay.replaceArguments(15).get(7), "odd RTTs stay exact");
    }

    @Test
    void refusesARttThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> LoopbackDelay.apply(0));
    }

    @Test
    @Timeout(60)
    void delaysLoopbackByTheRttOrSaysInOneLineThatTheKernelLacksNetem() throws Exception {
        Optional<String> whyNot = LoopbackDelay.whyUnavailable();
        if (whyNot.isPresent()) {
            assertTrue(whyNot.get().contains("sch_netem") || whyNot.get().contains("tc"), whyNot.get());
            MissingCapabilityException e = assertThrows(MissingCapabilityException.class,
                    () -> LoopbackDelay.apply(10));
            assertTrue(e.getMessage().contains(LoopbackDelay.FIX), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
            return;
        }
        // netem here: a TCP connect (one round trip) takes the RTT while the delay is on, and not after.
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            try (LoopbackDelay delay = LoopbackDelay.apply(40)) {
                assertEquals(40, delay.rttMillis());
                assertTrue(connectMillis(listener) >= 38, "connect under a 40 ms RTT took less than 38 ms");
            }
            assertTrue(connectMillis(listener) < 20, "the delay outlived close()");
        }
    }

    private static double connectMillis(ServerSocket listener) throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 5000);
            double millis = (System.nanoTime() - start) / 1e6;
            listener.accept().close();
            return millis;
        }
    }
}

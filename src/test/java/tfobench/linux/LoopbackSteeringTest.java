package tfobench.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tfobench.testing.FastOpenNamespace;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receive packet steering on the private namespace's lo: set and cleared for real as root, refused in one line
 * otherwise. */
class LoopbackSteeringTest {
    @BeforeAll
    static void privateNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void masksAreHexadecimalWithTheLowestCpuInTheLowestBit() {
        assertEquals("1", LoopbackSteering.mask(cpus(0)));
        assertEquals("3", LoopbackSteering.mask(cpus(0, 1)));
        assertEquals("10", LoopbackSteering.mask(cpus(4)));
        assertEquals("101", LoopbackSteering.mask(cpus(0, 8)));
    }

    @Test
    void refusesAnEmptySetOfCpus() {
        assertThrows(IllegalArgumentException.class, () -> LoopbackSteering.apply(new BitSet()));
    }

    @Test
    @Timeout(60)
    void steersLoopbackUntilClosedOrSaysInOneLineWhyNot() throws Exception {
        Optional<String> whyNot = LoopbackSteering.whyUnavailable();
        if (whyNot.isPresent()) {
            assertTrue(whyNot.get().contains("real root"), whyNot.get());
            MissingCapabilityException e = assertThrows(MissingCapabilityException.class,
                    () -> LoopbackSteering.apply(cpus(0)));
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            return;
        }
        assertEquals(0, rpsCpus(), "lo starts unsteered in a new namespace");
        try (LoopbackSteering steering = LoopbackSteering.apply(cpus(0))) {
            assertEquals("1", steering.mask());
            assertEquals(1, rpsCpus());
        }
        assertEquals(0, rpsCpus(), "the steering outlived close()");
    }

    /** lo's rps_cpus as this namespace's own sysfs shows it. */
    private static long rpsCpus() throws Exception {
        Process p = new ProcessBuilder(List.of("unshare", "--mount", "sh", "-c", "d=$(mktemp -d) && mount -t sysfs "
                + "sysfs \"$d\" && cat \"$d/class/net/lo/queues/rx-0/rps_cpus\"; umount \"$d\"; rmdir \"$d\""))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return Long.parseLong(out.replace(",", ""), 16);
    }

    private static BitSet cpus(int... indexes) {
        BitSet set = new BitSet();
        for (int i : indexes) {
            set.set(i);
        }
        return set;
    }
}

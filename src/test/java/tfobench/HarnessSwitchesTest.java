package tfobench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HarnessSwitchesTest {

    @Test
    void parsesKnownSwitchesInOrderIgnoringBlanksAndCase() {
        assertEquals(List.of("client-timeouts-off", "server-workers-4"),
                HarnessSwitches.parse(" client-timeouts-off,,SERVER-WORKERS-4 "));
        assertEquals(List.of(), HarnessSwitches.parse(""));
    }

    @Test
    void anUnknownSwitchIsOneLineNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HarnessSwitches.parse("client-nodelay,faster"));
        assertEquals("-Dtfobench.harness: unknown switch 'faster' (known: client-nodelay, client-timeouts-off, "
                + "server-workers-4, latency-log-off)", e.getMessage());
    }

    @Test
    void noSwitchIsOnUnlessGiven() {
        if (System.getProperty(HarnessSwitches.PROPERTY) == null) {
            for (String name : HarnessSwitches.KNOWN) {
                assertEquals(false, HarnessSwitches.on(name), name);
            }
        }
    }
}

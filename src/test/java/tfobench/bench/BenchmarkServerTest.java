package tfobench.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tfobench.HarnessSwitches;
import tfobench.testing.FastOpenNamespace;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The server a benchmark starts in its own JVM, as its trial setup starts it. */
class BenchmarkServerTest {

    @BeforeAll
    static void fastOpenNamespace() {
        FastOpenNamespace.require();
    }

    @Test
    void theNativeBenchmarkServerHasOneAcceptingWorkerBesideItsSlowLane() throws Exception {
        assertNull(System.getProperty(HarnessSwitches.PROPERTY), "the test measures the default");
        BitSet affinity = tfobench.linux.CpuAffinity.currentThreadAffinity(); // setup pins this thread as the client
        KeepAliveBenchmark benchmark = new KeepAliveBenchmark();
        benchmark.placement = "same-cpu";
        benchmark.transport = "native";
        benchmark.host = ServerLocation.LOOPBACK;
        try {
            benchmark.startServerAndClient();
            // one worker (the same thread serves every connection of the single client) and the slow lane
            assertEquals(2, benchmark.server.threads().size(), benchmark.server.threads().toString());
        } finally {
            benchmark.stopClientThenServer();
            tfobench.linux.CpuAffinity.pinCurrentThread(affinity);
        }
    }
}

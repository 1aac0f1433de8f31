package tfobench.bench;

import org.junit.jupiter.api.Test;
import tfobench.linux.SocketCounts;
import tfobench.testing.FastOpenNamespace;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each trial's connections live in a namespace of their own: what one trial leaves behind (TIME_WAIT sockets,
 * counters) is not there for the next, so the order in which JMH runs the scenarios cannot change what they meet.
 */
class TrialNetworkTest {
    private static final int CONNECTIONS = 200;

    @Test
    void aTrialStartsWithoutTheTimeWaitSocketsOfTheOneBefore() throws Exception {
        FastOpenNamespace.require();
        AtomicReference<Path> firstNamespace = new AtomicReference<>();
        long[] first = trial(true, firstNamespace);
        long[] second = trial(false, new AtomicReference<>());

        // The first trial's client closes first: its side of every connection waits in TIME_WAIT, in its namespace.
        assertTrue(first[1] >= CONNECTIONS, "TIME_WAIT after the first trial: " + first[1]);
        assertEquals(0, second[0], "the second trial began with TIME_WAIT sockets it did not make");
        // Other tests in this JVM may have left live threads in namespaces of their own; the first trial's is gone.
        assertFalse(TrialNetwork.namespaces().contains(firstNamespace.get()),
                "the profiler's view of the trials still counts the first trial's sockets");
    }

    /**
     * One trial on a thread of its own: a fresh namespace, a listener, connections closed by the client.
     *
     * @param connect whether to make connections
     * @return TIME_WAIT sockets in the trial's namespace at its start and at its end, and at its end as the evidence
     *         profiler reads them ({@link TrialNetwork#timeWait()}: every live trial's namespace)
     */
    private static long[] trial(boolean connect, AtomicReference<Path> namespace) throws Exception {
        AtomicReference<long[]> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                TrialNetwork.enterFresh();
                Path net = tfobench.linux.NetworkNamespace.currentThreadProcNet();
                namespace.set(net);
                long atStart = SocketCounts.timeWait(net);
                if (connect) {
                    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
                        for (int i = 0; i < CONNECTIONS; i++) {
                            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                                 Socket accepted = server.accept()) {
                                client.close(); // client first: its side goes to TIME_WAIT
                                accepted.getInputStream().read();
                            }
                        }
                    }
                }
                result.set(new long[] {atStart, SocketCounts.timeWait(net), TrialNetwork.timeWait()});
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError("trial failed", failure.get());
        }
        return result.get();
    }
}

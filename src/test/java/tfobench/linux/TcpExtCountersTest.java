package tfobench.linux;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpExtCountersTest {
    private static final String BEFORE = "TcpExt: SyncookiesSent TCPFastOpenActive TCPFastOpenPassive "
            + "TCPFastOpenCookieReqd\n"
            + "TcpExt: 0 5 7 1\n"
            + "IpExt: InNoRoutes InOctets\n"
            + "IpExt: 0 1234\n";
    private static final String AFTER = "TcpExt: SyncookiesSent TCPFastOpenActive TCPFastOpenPassive "
            + "TCPFastOpenCookieReqd\n"
            + "TcpExt: 0 9 11 2\n"
            + "IpExt: InNoRoutes InOctets\n"
            + "IpExt: 0 99999\n";

    @Test
    void subtractsCounterByCounter() throws IOException {
        TcpExtCounters delta = TcpExtCounters.parse(AFTER).minus(TcpExtCounters.parse(BEFORE));
        assertEquals(4, delta.get("TCPFastOpenActive"));
        assertEquals(4, delta.get("TCPFastOpenPassive"));
        assertEquals(1, delta.get("TCPFastOpenCookieReqd"));
        assertEquals(0, delta.get("SyncookiesSent"));
    }

    @Test
    void readsOnlyTheTcpExtGroup() throws IOException {
        TcpExtCounters counters = TcpExtCounters.parse(BEFORE);
        assertFalse(counters.has("InOctets"));
        assertEquals(4, counters.asMap().size());
    }

    @Test
    void countersTheKernelLacksReadAsZeroAndAreLeftOutOfTheFastOpenView() throws IOException {
        TcpExtCounters counters = TcpExtCounters.parse(BEFORE);
        assertEquals(0, counters.get("TCPFastOpenBlackhole"));
        assertEquals(List.of("TCPFastOpenActive", "TCPFastOpenPassive", "TCPFastOpenCookieReqd"),
                List.copyOf(counters.fastOpen().keySet()));
    }

    @Test
    void mismatchedNamesAndValuesAreAnError() {
        IOException e = assertThrows(IOException.class,
                () -> TcpExtCounters.parse("TcpExt: A B C\nTcpExt: 1 2\n"));
        assertTrue(e.getMessage().contains("3 names but 2 values"), e.getMessage());
    }

    @Test
    void missingGroupIsAnError() {
        assertThrows(IOException.class, () -> TcpExtCounters.parse("IpExt: A\nIpExt: 1\n"));
    }

    @Test
    void thisKernelHasTheFastOpenCounters() throws IOException {
        TcpExtCounters live = TcpExtCounters.read();
        for (String name : List.of("TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenPassive",
                "TCPFastOpenPassiveFail", "TCPFastOpenCookieReqd", "TCPFastOpenListenOverflow")) {
            assertTrue(live.has(name), name + " missing from " + TcpExtCounters.PATH);
        }
    }
}

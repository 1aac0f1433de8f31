package tfobench.linux;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastOpenSysctlTest {

    @Test
    void defaultValueOneIsClientOnly() {
        FastOpenSysctl sysctl = new FastOpenSysctl(1);
        assertTrue(sysctl.clientEnabled());
        assertFalse(sysctl.serverEnabled());
        assertEquals(List.of("0x1 client (data in SYN with MSG_FASTOPEN/TCP_FASTOPEN_CONNECT): on",
                "0x2 server (TCP_FASTOPEN listeners accept data in SYN): off"), sysctl.describe());
    }

    @Test
    void threeIsClientAndServer() {
        FastOpenSysctl sysctl = new FastOpenSysctl(3);
        assertTrue(sysctl.clientEnabled() && sysctl.serverEnabled());
    }

    @Test
    void decodesEveryDocumentedBitAndFlagsUnknownOnes() {
        FastOpenSysctl sysctl = new FastOpenSysctl(0x1 | 0x2 | 0x4 | 0x200 | 0x400 | 0x1000);
        List<String> lines = sysctl.describe();
        assertEquals(6, lines.size(), lines.toString());
        assertTrue(lines.contains("0x4 client sends SYN data without a cookie: on"), lines.toString());
        assertTrue(lines.contains("0x200 server accepts SYN data without a cookie: on"), lines.toString());
        assertTrue(lines.get(4).startsWith("0x400 server: fast open on every listener"), lines.toString());
        assertEquals("0x1000: bits this tool does not know", lines.get(5));
    }

    @Test
    void zeroMeansBothSidesOff() {
        FastOpenSysctl sysctl = new FastOpenSysctl(0);
        assertFalse(sysctl.clientEnabled());
        assertFalse(sysctl.serverEnabled());
        assertEquals(2, sysctl.describe().size());
        assertTrue(sysctl.describe().stream().allMatch(l -> l.endsWith(": off")));
    }
}

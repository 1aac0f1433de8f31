package tfobench;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPortTest {
    @Test
    void readsIpv4AndBracketedIpv6WithPorts() {
        InetSocketAddress v4 = HostPort.parse("127.0.0.1:8080");
        assertTrue(v4.getAddress() instanceof Inet4Address);
        assertEquals(8080, v4.getPort());
        InetSocketAddress v6 = HostPort.parse("[::1]:8080");
        assertTrue(v6.getAddress() instanceof Inet6Address);
        assertTrue(v6.getAddress().isLoopbackAddress());
        assertEquals(8080, v6.getPort());
        assertEquals("[fd74:666f::2]:9", HostPort.format(HostPort.parse("[fd74:666f::2]:9")));
        assertEquals("127.0.0.1:8080", HostPort.format(v4));
    }

    @Test
    void formatReadsBackAsTheSameAddress() {
        for (String s : new String[] {"[::1]:1", "10.77.0.1:65535", "[fd74:666f:0:1::ffff:fffe]:8080"}) {
            InetSocketAddress a = HostPort.parse(s);
            assertEquals(a, HostPort.parse(HostPort.format(a)), s);
        }
    }

    @Test
    void anUnbracketedIpv6AddressWithAPortIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:8080"));
        assertEquals("an IPv6 address with a port goes in brackets, e.g. [::1]:8080; got '::1:8080'", e.getMessage());
    }

    @Test
    void malformedValuesAreOneLineEach() {
        assertEquals("expected HOST:PORT or [IPV6]:PORT, got 'localhost'",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("localhost")).getMessage());
        assertEquals("expected [IPV6]:PORT, got '[::1]'",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1]")).getMessage());
        assertEquals("'127.0.0.1' in brackets is not an IPv6 address: [127.0.0.1]:80",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[127.0.0.1]:80")).getMessage());
        assertEquals("port 70000 outside 1-65535: [::1]:70000",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1]:70000")).getMessage());
        assertEquals("port 'x' is not a number: 127.0.0.1:x",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("127.0.0.1:x")).getMessage());
    }

    @Test
    void bareAddressesOfEitherFamilyWithOrWithoutBrackets() {
        assertTrue(HostPort.address("::1") instanceof Inet6Address);
        assertTrue(HostPort.address("[::1]") instanceof Inet6Address);
        assertTrue(HostPort.address("10.0.0.1") instanceof Inet4Address);
    }
}

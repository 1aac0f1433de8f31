package tfobench.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code struct sockaddr_in} or {@code struct sockaddr_in6} in native memory, built once per endpoint so hot paths
 * pass it without copying. From {@code ip(7)} and {@code ipv6(7)}:
 * <pre>
 * struct sockaddr_in  { sa_family_t sin_family;  in_port_t sin_port;  struct in_addr sin_addr; };            // 16
 * struct sockaddr_in6 { sa_family_t sin6_family; in_port_t sin6_port; uint32_t sin6_flowinfo;
 *                       struct in6_addr sin6_addr; uint32_t sin6_scope_id; };                               // 28
 * </pre>
 * Port and address in network byte order.
 */
public final class SockAddrIn {
    /** {@code sizeof(struct sockaddr_in)}. */
    static final int SIZE_IN = 16;
    /** {@code sizeof(struct sockaddr_in6)}: the largest this class holds. */
    static final int SIZE_IN6 = 28;

    private InetSocketAddress address;
    private int size;
    final Memory memory = new Memory(SIZE_IN6);

    public SockAddrIn(InetSocketAddress address) {
        set(address);
    }

    /** Rewrites the structure in place: the next call that passes it goes to this address (of either family). */
    public void set(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        this.address = address;
        this.size = write(memory, address);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** {@link Syscalls#AF_INET} or {@link Syscalls#AF_INET6}: the family of the socket that may use this address. */
    public int family() {
        return size == SIZE_IN ? Syscalls.AF_INET : Syscalls.AF_INET6;
    }

    /** The structure's length, as the address length argument of the call. */
    int size() {
        return size;
    }

    /** Writes either structure for the address; returns its length. */
    static int write(Pointer p, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        p.clear(SIZE_IN6);
        if (ip instanceof Inet4Address) {
            p.setShort(0, (short) Syscalls.AF_INET);
            p.setByte(2, (byte) (port >>> 8));
            p.setByte(3, (byte) port);
            p.write(4, ip.getAddress(), 0, 4);
            return SIZE_IN;
        }
        p.setShort(0, (short) Syscalls.AF_INET6);
        p.setByte(2, (byte) (port >>> 8));
        p.setByte(3, (byte) port);
        p.write(8, ip.getAddress(), 0, 16);
        p.setInt(24, ((Inet6Address) ip).getScopeId());
        return SIZE_IN6;
    }

    /** Reads either structure back, by its family field. */
    static InetSocketAddress read(Pointer p) {
        int family = p.getShort(0);
        int port = ((p.getByte(2) & 0xff) << 8) | (p.getByte(3) & 0xff);
        try {
            if (family == Syscalls.AF_INET6) {
                int scope = p.getInt(24);
                byte[] ip = p.getByteArray(8, 16);
                return new InetSocketAddress(scope == 0 ? InetAddress.getByAddress(ip)
                        : Inet6Address.getByAddress(null, ip, scope), port);
            }
            return new InetSocketAddress(InetAddress.getByAddress(p.getByteArray(4, 4)), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("address of the right length rejected", e);
        }
    }

    @Override
    public String toString() {
        return tfobench.HostPort.format(address);
    }
}

package tfobench.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A {@code struct sockaddr_in} in native memory, built once per endpoint so hot paths pass it without copying. */
public final class SockAddrIn {
    static final int SIZE = 16;
    private static final short AF_INET = 2;

    private InetSocketAddress address;
    final Memory memory = new Memory(SIZE);

    public SockAddrIn(InetSocketAddress address) {
        set(address);
    }

    /** Rewrites the structure in place: the next call that passes it goes to this address. */
    public void set(InetSocketAddress address) {
        if (address.isUnresolved() || !(address.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        this.address = address;
        write(memory, address);
    }

    public InetSocketAddress address() {
        return address;
    }

    static void write(Pointer p, InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        p.clear(SIZE);
        p.setShort(0, AF_INET);
        int port = address.getPort();
        p.setByte(2, (byte) (port >>> 8));
        p.setByte(3, (byte) port);
        p.write(4, ip, 0, 4);
    }

    static InetSocketAddress read(Pointer p) {
        int port = ((p.getByte(2) & 0xff) << 8) | (p.getByte(3) & 0xff);
        byte[] ip = p.getByteArray(4, 4);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4-byte address rejected", e);
        }
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}

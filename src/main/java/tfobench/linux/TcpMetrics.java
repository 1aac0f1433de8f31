package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.io.Closeable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's TCP metrics cache, where the client keeps fast open cookies per (source, destination) address,
 * over generic netlink:
 * <ul>
 *   <li>{@link #cachedDestinations()}, as {@code ip tcp_metrics show}: needs no privilege;</li>
 *   <li>{@link #delete} and {@link #flush}, as {@code ip tcp_metrics delete ADDRESS} and {@code flush}: the kernel
 *       marks these commands {@code GENL_ADMIN_PERM}, which checks CAP_NET_ADMIN in the <em>initial</em> user
 *       namespace. Root of a private user namespace does not have it: there they fail with EPERM, and only real
 *       root (or CAP_NET_ADMIN) can flush a cookie.</li>
 * </ul>
 */
public final class TcpMetrics implements Closeable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_GENERIC = 16;
    private static final short GENL_ID_CTRL = 0x10;
    private static final byte CTRL_CMD_GETFAMILY = 3;
    private static final short CTRL_ATTR_FAMILY_ID = 1;
    private static final short CTRL_ATTR_FAMILY_NAME = 2;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 1;
    private static final short NLM_F_ACK = 4;
    private static final short NLMSG_DONE = 3;
    private static final short NLM_F_DUMP = 0x300;
    private static final byte TCP_METRICS_CMD_GET = 1;
    private static final byte TCP_METRICS_CMD_DEL = 2;
    private static final byte TCP_METRICS_GENL_VERSION = 1;
    private static final short TCP_METRICS_ATTR_ADDR_IPV4 = 1;
    private static final short TCP_METRICS_ATTR_ADDR_IPV6 = 2;
    private static final int NLMSG_HDRLEN = 16;
    private static final int GENL_HDRLEN = 4;

    private final int fd;
    private final short familyId;
    private final Memory request = new Memory(256);
    /** Large enough for one datagram of a dump (the kernel fills up to 32 KiB per message batch). */
    private final Memory reply = new Memory(65536);
    private int sequence;

    private TcpMetrics(int fd) throws ErrnoException {
        this.fd = fd;
        this.familyId = resolveFamily("tcp_metrics");
    }

    public static TcpMetrics open() throws ErrnoException {
        int fd;
        try {
            fd = LibC.socket(AF_NETLINK, SOCK_RAW | Syscalls.SOCK_CLOEXEC, NETLINK_GENERIC);
        } catch (LastErrorException e) {
            throw new ErrnoException("socket AF_NETLINK", e.getErrorCode());
        }
        try {
            return new TcpMetrics(fd);
        } catch (ErrnoException | RuntimeException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    /** Forgets what is cached for this destination (its fast open cookie among it). No entry (ESRCH) is fine. */
    public void delete(InetAddress destination) throws ErrnoException {
        int length = header(familyId, TCP_METRICS_CMD_DEL, TCP_METRICS_GENL_VERSION);
        byte[] ip = destination.getAddress();
        request.setShort(length, (short) (4 + ip.length));
        request.setShort(length + 2, ip.length == 4 ? TCP_METRICS_ATTR_ADDR_IPV4 : TCP_METRICS_ATTR_ADDR_IPV6);
        request.write(length + 4, ip, 0, ip.length);
        length += 4 + ip.length;
        int error = transact(length, "tcp_metrics delete " + tfobench.HostPort.format(destination));
        if (error != 0 && error != Errno.ESRCH) {
            throw new ErrnoException("tcp_metrics delete " + tfobench.HostPort.format(destination), error);
        }
    }

    /**
     * The destinations (IPv4 and IPv6) that have an entry in this namespace's cache (a fast open cookie among what
     * it may hold), in the kernel's order. Reads the whole table ({@code ip tcp_metrics show}); needs no privilege.
     */
    public List<InetAddress> cachedDestinations() throws ErrnoException {
        int length = header(familyId, TCP_METRICS_CMD_GET, TCP_METRICS_GENL_VERSION);
        request.setShort(6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        send(length, "tcp_metrics dump");
        List<InetAddress> found = new ArrayList<>();
        while (true) {
            int received = receive("tcp_metrics dump");
            int message = 0;
            while (message + NLMSG_HDRLEN <= received) {
                int messageLength = reply.getInt(message);
                short type = reply.getShort(message + 4);
                if (messageLength < NLMSG_HDRLEN) {
                    throw new ErrnoException("tcp_metrics dump (malformed reply)", Errno.EIO);
                }
                if (reply.getInt(message + 8) != sequence) { // e.g. the acknowledgement of an earlier request
                    message += align(messageLength);
                    continue;
                }
                if (type == NLMSG_DONE) {
                    return found;
                }
                if (type == NLMSG_ERROR) {
                    throw new ErrnoException("tcp_metrics dump", -reply.getInt(message + NLMSG_HDRLEN));
                }
                if (message + messageLength > received) {
                    throw new ErrnoException("tcp_metrics dump (malformed reply)", Errno.EIO);
                }
                int attribute = message + NLMSG_HDRLEN + GENL_HDRLEN;
                int end = message + messageLength;
                while (attribute + 4 <= end) {
                    int attributeLength = reply.getShort(attribute) & 0xffff;
                    int attributeType = reply.getShort(attribute + 2) & 0x3fff;
                    if (attributeLength < 4) {
                        break;
                    }
                    if (attributeType == TCP_METRICS_ATTR_ADDR_IPV4 && attributeLength >= 8) {
                        found.add(address(reply.getByteArray(attribute + 4, 4)));
                    } else if (attributeType == TCP_METRICS_ATTR_ADDR_IPV6 && attributeLength >= 20) {
                        found.add(address(reply.getByteArray(attribute + 4, 16)));
                    }
                    attribute += align(attributeLength);
                }
                message += align(messageLength);
            }
        }
    }

    /** Empties the whole cache of this namespace. */
    public void flush() throws ErrnoException {
        int length = header(familyId, TCP_METRICS_CMD_DEL, TCP_METRICS_GENL_VERSION);
        int error = transact(length, "tcp_metrics flush");
        if (error != 0) {
            throw new ErrnoException("tcp_metrics flush", error);
        }
    }

    @Override
    public void close() {
        Syscalls.closeQuietly(fd);
    }

    private short resolveFamily(String name) throws ErrnoException {
        int length = header(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, (byte) 1);
        request.setShort(6, NLM_F_REQUEST); // the answer is the reply itself: no acknowledgement left queued after it
        byte[] bytes = (name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        request.setShort(length, (short) (4 + bytes.length));
        request.setShort(length + 2, CTRL_ATTR_FAMILY_NAME);
        request.write(length + 4, bytes, 0, bytes.length);
        length += align(4 + bytes.length);
        send(length, "genetlink getfamily " + name);
        int received = receive("genetlink getfamily " + name);
        if (received < NLMSG_HDRLEN) {
            throw new ErrnoException("genetlink getfamily " + name + " (short reply)", Errno.EIO);
        }
        if (reply.getShort(4) == NLMSG_ERROR) {
            throw new ErrnoException("genetlink getfamily " + name, -reply.getInt(NLMSG_HDRLEN));
        }
        int offset = NLMSG_HDRLEN + GENL_HDRLEN;
        int end = Math.min(received, reply.getInt(0));
        while (offset + 4 <= end) {
            int attrLength = reply.getShort(offset) & 0xffff;
            int attrType = reply.getShort(offset + 2) & 0x3fff;
            if (attrType == CTRL_ATTR_FAMILY_ID) {
                return reply.getShort(offset + 4);
            }
            if (attrLength < 4) {
                break;
            }
            offset += align(attrLength);
        }
        throw new ErrnoException("genetlink getfamily " + name + " (no family id)", Errno.ENOENT);
    }

    /** Writes nlmsghdr + genlmsghdr; the length field is filled in by {@link #send}. Returns the header size. */
    private int header(short type, byte command, byte version) {
        request.clear(NLMSG_HDRLEN + GENL_HDRLEN);
        request.setShort(4, type);
        request.setShort(6, (short) (NLM_F_REQUEST | NLM_F_ACK));
        request.setInt(8, ++sequence);
        request.setByte(NLMSG_HDRLEN, command);
        request.setByte(NLMSG_HDRLEN + 1, version);
        return NLMSG_HDRLEN + GENL_HDRLEN;
    }

    /** Sends the request and returns the errno of the kernel's acknowledgement (0 = success). */
    private int transact(int length, String what) throws ErrnoException {
        send(length, what);
        while (true) {
            int received = receive(what);
            // Only the acknowledgement of this request: an earlier request's (getfamily's) may still be queued.
            if (received >= NLMSG_HDRLEN + 4 && reply.getShort(4) == NLMSG_ERROR && reply.getInt(8) == sequence) {
                return -reply.getInt(NLMSG_HDRLEN);
            }
        }
    }

    private void send(int length, String what) throws ErrnoException {
        request.setInt(0, length);
        try {
            LibC.send(fd, request, length, 0);
        } catch (LastErrorException e) {
            throw new ErrnoException(what, e.getErrorCode());
        }
    }

    private int receive(String what) throws ErrnoException {
        try {
            return (int) LibC.recv(fd, reply, reply.size(), 0);
        } catch (LastErrorException e) {
            throw new ErrnoException(what, e.getErrorCode());
        }
    }

    private static InetAddress address(byte[] networkOrder) {
        try {
            return InetAddress.getByAddress(networkOrder);
        } catch (UnknownHostException e) {
            throw new AssertionError("address of the right length rejected", e);
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}

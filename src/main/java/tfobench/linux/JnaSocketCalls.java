package tfobench.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@link SocketCalls} through JNA direct mapping, pointers passed as addresses. JNA reads errno right after the call
 * and throws; the exception becomes {@code -errno} here (the failure paths are not the measured ones).
 */
final class JnaSocketCalls implements SocketCalls {
    /** glibc's functions, direct-mapped under their own names, with addresses for pointers. */
    private static final class C {
        static {
            Native.register(C.class, Platform.C_LIBRARY_NAME);
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int connect(int fd, long address, int addressLength) throws LastErrorException;

        static native int accept4(int fd, long address, long addressLength, int flags) throws LastErrorException;

        static native long sendto(int fd, long buffer, long length, int flags, long address, int addressLength)
                throws LastErrorException;

        static native long send(int fd, long buffer, long length, int flags) throws LastErrorException;

        static native long recv(int fd, long buffer, long length, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int setsockopt(int fd, int level, int name, long value, int length) throws LastErrorException;

        static native int getsockopt(int fd, int level, int name, long value, long length) throws LastErrorException;
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return C.socket(domain, type, protocol);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public int connect(int fd, long address, int addressLength) {
        try {
            return C.connect(fd, address, addressLength);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public int accept4(int fd, long address, long addressLength, int flags) {
        try {
            return C.accept4(fd, address, addressLength, flags);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public long sendto(int fd, long buffer, long length, int flags, long address, int addressLength) {
        try {
            return C.sendto(fd, buffer, length, flags, address, addressLength);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public long send(int fd, long buffer, long length, int flags) {
        try {
            return C.send(fd, buffer, length, flags);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public long recv(int fd, long buffer, long length, int flags) {
        try {
            return C.recv(fd, buffer, length, flags);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public int close(int fd) {
        try {
            return C.close(fd);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int length) {
        try {
            return C.setsockopt(fd, level, name, value, length);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long length) {
        try {
            return C.getsockopt(fd, level, name, value, length);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }
}

package tfobench.linux.ffm;

import tfobench.linux.SocketCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link SocketCalls} through the Foreign Function and Memory API (JDK 22+): one downcall handle per function,
 * pointers passed as {@code long} addresses (the x86_64 calling convention passes a pointer and a 64-bit integer the
 * same way, so no segment is made per call), and errno captured by the linker right after the call
 * ({@code Linker.Option.captureCallState}) into a per-thread segment, read only when the call failed. None is a
 * "critical" call: they block, and a critical call may not.
 *
 * <p>Compiled at release 22 from {@code src/main/java22} when the build runs on JDK 22+, and loaded by
 * {@code tfobench.linux.LinuxLayer} only on such a JVM.
 */
public final class FfmSocketCalls implements SocketCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_CAPTURE = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> CALL_STATE = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(STATE));

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT));
    private static final MethodHandle CONNECT = handle("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            JAVA_INT));
    private static final MethodHandle ACCEPT4 = handle("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG,
            JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG,
            JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG,
            JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = handle("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO_CAPTURE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) SOCKET.invokeExact(state, domain, type, protocol);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public int connect(int fd, long address, int addressLength) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) CONNECT.invokeExact(state, fd, address, addressLength);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public int accept4(int fd, long address, long addressLength, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) ACCEPT4.invokeExact(state, fd, address, addressLength, flags);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public long sendto(int fd, long buffer, long length, int flags, long address, int addressLength) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) SENDTO.invokeExact(state, fd, buffer, length, flags, address, addressLength);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public long send(int fd, long buffer, long length, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) SEND.invokeExact(state, fd, buffer, length, flags);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public long recv(int fd, long buffer, long length, int flags) {
        MemorySegment state = CALL_STATE.get();
        try {
            long r = (long) RECV.invokeExact(state, fd, buffer, length, flags);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) CLOSE.invokeExact(state, fd);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int length) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long length) {
        MemorySegment state = CALL_STATE.get();
        try {
            int r = (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}

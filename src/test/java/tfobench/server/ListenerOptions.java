package tfobench.server;

import tfobench.linux.ErrnoException;
import tfobench.linux.Syscalls;

/** Test access to a running server's listening socket, to change what a fault test needs changed under it. */
public final class ListenerOptions {
    private ListenerOptions() {
    }

    /**
     * {@code setsockopt(TCP_FASTOPEN_KEY)} on the listener: cookies are from now on made with {@code primary};
     * with a {@code backup} (may be null), cookies made with it are still accepted.
     */
    public static void setFastOpenKey(CalcServer server, byte[] primary, byte[] backup) throws ErrnoException {
        if (primary.length != 16 || (backup != null && backup.length != 16)) {
            throw new IllegalArgumentException("fast open keys are 16 bytes");
        }
        byte[] value = primary;
        if (backup != null) {
            value = new byte[32];
            System.arraycopy(primary, 0, value, 0, 16);
            System.arraycopy(backup, 0, value, 16, 16);
        }
        Syscalls.setBytes(listener(server), Syscalls.IPPROTO_TCP, Syscalls.TCP_FASTOPEN_KEY, value);
    }

    private static int listener(CalcServer server) {
        if (server instanceof NativeServer) {
            return ((NativeServer) server).listenerDescriptor();
        }
        return ((NettyServer) server).listenerDescriptor();
    }
}

package tfobench.linux;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh network namespace for the calling thread alone. Network namespaces belong to threads, not processes:
 * {@code unshare(CLONE_NEWNET)} moves only the caller, and unlike {@code CLONE_NEWUSER} it does not need a
 * single-threaded process (unshare(2): "CLONE_NEWNET ... Unshare the network namespace, so that the calling process
 * is moved into a new network namespace which is not shared with any previously existing process. Use of
 * CLONE_NEWNET requires the CAP_SYS_ADMIN capability"; inside the launcher's user namespace the process has it).
 * Sockets the thread opens afterwards, and threads and processes it starts, live in the new namespace; sockets
 * opened before (a JMH fork's link to its parent) stay where they were and keep working.
 *
 * <p>{@code /proc/self/net} shows the namespace of the process's main thread, not the caller's: read the thread's
 * own counters through {@link #procNet()} ({@code /proc/self/task/<tid>/net}), readable from any thread.
 */
public final class NetworkNamespace {
    /** {@code CLONE_NEWNET} from linux/sched.h. */
    static final int CLONE_NEWNET = 0x40000000;

    private final Path procNet;

    private NetworkNamespace(Path procNet) {
        this.procNet = procNet;
    }

    /**
     * Moves the calling thread into a new network namespace and prepares it as {@link PrivateNetns#prepare()}
     * prepares the run's: {@code lo} up, {@code tcp_fastopen=3}, short TIME_WAIT reuse, wide port range.
     *
     * @throws ErrnoException when the thread may not (no {@code CAP_SYS_ADMIN} over its current namespace)
     */
    public static NetworkNamespace enterFresh() throws IOException {
        try {
            LibC.unshare(CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new ErrnoException("unshare(CLONE_NEWNET)", e.getErrorCode());
        }
        PrivateNetns.setUpCurrentNamespace();
        return new NetworkNamespace(currentThreadProcNet());
    }

    /** {@code /proc/self/task/<tid>/net} of the calling thread. */
    public static Path currentThreadProcNet() throws IOException {
        // /proc/thread-self links to "<pid>/task/<tid>"; through /proc/self the path stays valid from other threads
        Path threadSelf = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Path.of("/proc/self/task").resolve(threadSelf.getFileName()).resolve("net");
    }

    /** The namespace's {@code /proc/.../net} directory (netstat, sockstat), readable from any thread. */
    public Path procNet() {
        return procNet;
    }
}

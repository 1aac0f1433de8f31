package tfobench.linux;

/**
 * The socket calls every operation makes, on raw descriptors and raw addresses (a {@code long} where C takes a
 * pointer, which the x86_64 calling convention passes the same way), in the kernel's own convention: the call's
 * result, or {@code -errno} when it failed. Two bindings: JNA ({@link JnaSocketCalls}) and, on JDK 22+, the Foreign
 * Function and Memory API ({@code FfmSocketCalls}); {@link LinuxLayer} chooses one per JVM. {@link Syscalls} turns
 * the results into exceptions.
 */
public interface SocketCalls {
    int socket(int domain, int type, int protocol);

    int connect(int fd, long address, int addressLength);

    int accept4(int fd, long address, long addressLength, int flags);

    long sendto(int fd, long buffer, long length, int flags, long address, int addressLength);

    long send(int fd, long buffer, long length, int flags);

    long recv(int fd, long buffer, long length, int flags);

    int close(int fd);

    int setsockopt(int fd, int level, int name, long value, int length);

    int getsockopt(int fd, int level, int name, long value, long length);
}

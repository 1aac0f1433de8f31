package tfobench.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Socket counts of one network namespace from its {@code sockstat} ({@code TCP: inuse N orphan N tw N alloc N mem N};
 * {@code tw}, the TIME_WAIT sockets, is the namespace's own on the kernels this suite runs on).
 */
public final class SocketCounts {
    private SocketCounts() {
    }

    /** TCP sockets in TIME_WAIT in the namespace of this {@code /proc/.../net} directory. */
    public static long timeWait(Path procNet) throws IOException {
        return parseTimeWait(Files.readString(procNet.resolve("sockstat"), StandardCharsets.US_ASCII));
    }

    static long parseTimeWait(String sockstat) throws IOException {
        for (String line : sockstat.split("\n")) {
            if (line.startsWith("TCP:")) {
                String[] fields = line.trim().split("\\s+");
                for (int i = 1; i + 1 < fields.length; i += 2) {
                    if (fields[i].equals("tw")) {
                        return Long.parseLong(fields[i + 1]);
                    }
                }
            }
        }
        throw new IOException("sockstat has no TCP tw count");
    }
}

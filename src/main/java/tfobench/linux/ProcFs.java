package tfobench.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /proc/sys} files. Their handlers answer only a read at offset 0 and report EOF after it, so a
 * reader that starts with a tiny buffer (as {@link Files#readString} does for a file of size 0) gets just the
 * first byte: {@code 32768 60999} reads as {@code 3}. One read into a page-sized buffer gets it all.
 */
public final class ProcFs {
    private static final int PAGE = 4096;

    private ProcFs() {
    }

    /** The whole value, trimmed, with runs of blanks (tabs in ranges) turned into one space. */
    public static String readSysctl(Path path) throws IOException {
        byte[] buffer = new byte[PAGE];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.read(buffer);
            if (n < 0) {
                return "";
            }
            if (n == PAGE) {
                throw new IOException(path + ": value longer than " + PAGE + " bytes");
            }
            return new String(buffer, 0, n, StandardCharsets.US_ASCII).trim().replaceAll("\\s+", " ");
        }
    }
}

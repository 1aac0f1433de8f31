package tfobench.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcFsTest {

    @Test
    void readsAMultiDigitRangeWhole() throws Exception {
        // /proc/sys answers only reads at offset 0: a byte-by-byte reader would see "3" of "32768 60999".
        String range = ProcFs.readSysctl(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        assertTrue(range.matches("\\d{3,5} \\d{3,5}"), "'" + range + "'");
    }

    @Test
    void readsAPlainFileToo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("v"), "  60\t61 \n");
        assertTrue(ProcFs.readSysctl(file).equals("60 61"));
    }
}

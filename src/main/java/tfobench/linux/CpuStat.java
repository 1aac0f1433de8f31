package tfobench.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One CPU's time from {@code /proc/stat}, in clock ticks ({@code USER_HZ}): everything it did (user, nice, system,
 * irq, softirq, steal) against idle and iowait. proc(5): "The amount of time, measured in units of USER_HZ ... that the
 * system ("cpu" line) or the specific CPU ("cpuN" line) spent in various states". It counts every process on the CPU,
 * this one's or not, and the kernel's interrupt work, which thread CPU clocks may leave out.
 *
 * @param busyTicks  user + nice + system + irq + softirq + steal
 * @param totalTicks busy + idle + iowait
 */
public record CpuStat(long busyTicks, long totalTicks) {
    private static final Path PATH = Path.of("/proc/stat");

    /** The counters of CPU {@code cpu} now. */
    public static CpuStat read(int cpu) throws IOException {
        String prefix = "cpu" + cpu + " ";
        for (String line : Files.readAllLines(PATH, StandardCharsets.US_ASCII)) {
            if (line.startsWith(prefix)) {
                String[] f = line.trim().split("\\s+");
                long user = Long.parseLong(f[1]);
                long nice = Long.parseLong(f[2]);
                long system = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]);
                long iowait = Long.parseLong(f[5]);
                long irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                long busy = user + nice + system + irq + softirq + steal;
                return new CpuStat(busy, busy + idle + iowait);
            }
        }
        throw new IOException(PATH + " has no line for CPU " + cpu);
    }

    /** Share of the time between {@code earlier} and this reading that the CPU was busy; NaN if no tick passed. */
    public double busySince(CpuStat earlier) {
        long total = totalTicks - earlier.totalTicks;
        return total <= 0 ? Double.NaN : (double) (busyTicks - earlier.busyTicks) / total;
    }
}

package tfobench.report;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run folder's HdrHistogram interval logs: {@code <stem>-fork<N>.hlog}, nanoseconds, as the launcher's evidence
 * profiler writes them: per measured iteration one untagged interval with every operation (what HdrHistogram's own
 * tools read by default) and one tagged {@value #RETRANSMITTED_TAG} with those of its operations whose connection
 * saw a retransmission. Logs written before that carry only the first kind, tagged with the file's stem.
 */
final class IntervalLogs {
    /** Tag of the intervals holding the operations that saw a retransmission. */
    static final String RETRANSMITTED_TAG = "retransmitted";
    private static final Pattern FORK_FILE = Pattern.compile("-fork(\\d+)\\.hlog");

    /**
     * @param forks         per fork file, its all-operation intervals in order
     * @param retransmitted the retransmitted-operation intervals of every fork, in the same order, or null when the
     *                      logs do not record them
     */
    record Logs(List<List<Histogram>> forks, List<Histogram> retransmitted) {
        int intervalCount() {
            return forks.stream().mapToInt(List::size).sum();
        }
    }

    private IntervalLogs() {
    }

    /** Every interval of every fork of one benchmark, forks in order; no forks if the folder has no log for it. */
    static Logs read(Path dir, BenchmarkId id) throws RunFolderException {
        String stem = id.fileStem();
        List<Path> forks = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> isForkLog(f.getFileName().toString(), stem)).forEach(forks::add);
        } catch (IOException e) {
            throw new RunFolderException("cannot list " + dir + ": " + e.getMessage());
        }
        forks.sort((a, b) -> Integer.compare(forkNumber(a, stem), forkNumber(b, stem)));
        List<List<Histogram>> all = new ArrayList<>();
        List<Histogram> retransmitted = new ArrayList<>();
        boolean recorded = !forks.isEmpty();
        for (Path fork : forks) {
            List<Histogram> operations = new ArrayList<>();
            List<Histogram> subset = new ArrayList<>();
            for (Histogram h : readOne(fork)) {
                (RETRANSMITTED_TAG.equals(h.getTag()) ? subset : operations).add(h);
            }
            if (subset.size() != operations.size()) {
                if (!subset.isEmpty()) {
                    throw new RunFolderException(fork + " has " + operations.size() + " operation intervals but "
                            + subset.size() + " '" + RETRANSMITTED_TAG + "' intervals (damaged?)");
                }
                recorded = false; // written before retransmissions were recorded
            }
            all.add(operations);
            retransmitted.addAll(subset);
        }
        return new Logs(all, recorded ? retransmitted : null);
    }

    private static boolean isForkLog(String name, String stem) {
        return name.startsWith(stem) && FORK_FILE.matcher(name.substring(stem.length())).matches();
    }

    private static int forkNumber(Path file, String stem) {
        Matcher m = FORK_FILE.matcher(file.getFileName().toString().substring(stem.length()));
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private static List<Histogram> readOne(Path file) throws RunFolderException {
        List<Histogram> intervals = new ArrayList<>();
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new RunFolderException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                if (!(interval instanceof Histogram)) {
                    throw new RunFolderException(file + ": expected integer (nanosecond) histograms, found "
                            + interval.getClass().getSimpleName());
                }
                intervals.add((Histogram) interval);
            }
        } catch (RuntimeException e) {
            throw new RunFolderException(file + " is not a readable HdrHistogram interval log (truncated?): "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        } finally {
            reader.close();
        }
        return intervals;
    }
}

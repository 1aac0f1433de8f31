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
 * A run folder's HdrHistogram interval logs: {@code <stem>-fork<N>.hlog}, one interval per measured iteration,
 * nanoseconds, as the launcher's evidence profiler writes them.
 */
final class IntervalLogs {
    private static final Pattern FORK_FILE = Pattern.compile("-fork(\\d+)\\.hlog");

    private IntervalLogs() {
    }

    /** Every interval of every fork of one benchmark, forks in order; empty if the folder has no log for it. */
    static List<Histogram> read(Path dir, BenchmarkId id) throws RunFolderException {
        String stem = id.fileStem();
        List<Path> forks = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> isForkLog(f.getFileName().toString(), stem)).forEach(forks::add);
        } catch (IOException e) {
            throw new RunFolderException("cannot list " + dir + ": " + e.getMessage());
        }
        forks.sort((a, b) -> Integer.compare(forkNumber(a, stem), forkNumber(b, stem)));
        List<Histogram> intervals = new ArrayList<>();
        for (Path fork : forks) {
            intervals.addAll(readOne(fork));
        }
        return intervals;
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

package tfobench.cli;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** JMH's console output unchanged, remembering which benchmarks started but never ended (they failed). */
final class TrackingOutputFormat implements OutputFormat {
    private final OutputFormat delegate;
    private final List<BenchmarkParams> failed = new ArrayList<>();
    private BenchmarkParams current;
    private int started;

    TrackingOutputFormat(OutputFormat delegate) {
        this.delegate = delegate;
    }

    /** Benchmarks that started and did not produce a result. */
    List<BenchmarkParams> failed() {
        List<BenchmarkParams> all = new ArrayList<>(failed);
        if (current != null) {
            all.add(current);
        }
        return all;
    }

    int started() {
        return started;
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        if (current != null) {
            failed.add(current);
        }
        current = benchParams;
        started++;
        delegate.startBenchmark(benchParams);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (result == null && current != null) {
            failed.add(current);
        }
        current = null;
        delegate.endBenchmark(result);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        delegate.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        delegate.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void startRun() {
        delegate.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        delegate.endRun(result);
    }

    @Override
    public void print(String s) {
        delegate.print(s);
    }

    @Override
    public void println(String s) {
        delegate.println(s);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void verbosePrintln(String s) {
        delegate.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        delegate.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        delegate.write(b);
    }
}

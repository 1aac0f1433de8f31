package tfobench.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The measurement every benchmark of the suite shares, written once (as Netty's {@code AbstractMicrobenchmark}):
 * {@code Mode.SampleTime} in microseconds, so JMH's JSON carries percentiles; 2 forks of 3 warm-up and 5 measured
 * one-second iterations. JMH's annotations are inherited, so each benchmark class extends this one, and JMH's command
 * line ({@code -f}, {@code -wi}, {@code -i}, {@code -r}) overrides any of them for a run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public abstract class BenchmarkDefaults {
}

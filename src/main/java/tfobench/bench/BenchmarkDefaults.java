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
 * {@code Mode.SampleTime} in microseconds, and how many times every benchmark is measured by default, chosen for the
 * statistics the reports apply (docs/RESULTS-METHOD.md). JMH's annotations are inherited, so each benchmark class
 * extends this one, and JMH's command line ({@code -f}, {@code -wi}, {@code -i}, {@code -r}) overrides any of them
 * for a run.
 *
 * <p>The replicate is the fork: a new JVM with new servers and, in the private namespace, a fresh network namespace;
 * iterations within one fork share all of that and are not independent. Verdicts use an exact rank test on fork
 * medians with Holm's correction over a table; with {@code n} forks a side the smallest p any data can give is
 * {@code 2 / C(2n, n)}, so a table of {@code k} comparisons needs {@code 2 / C(2n, n) < 0.05 / k}:
 * <ul>
 *   <li>3 forks: 0.1, never a verdict; 4: 0.029, one comparison; 5: 0.0079, up to 6;</li>
 *   <li>6 forks: 0.0022, up to 23 comparisons: the 12 first-request rows of a {@code compare} table and the 20 of
 *       the default suite's savings table (5 comparisons for each of 4 settings).</li>
 * </ul>
 * Within a fork, 2 warm-up and 3 measured iterations of 1 s: each fork's median is then over some 30,000 to 100,000
 * operations on loopback. Quick mode ({@code -f 1 -wi 1 -i 3}) gives figures but can give no verdict, and says so.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = BenchmarkDefaults.WARMUP_ITERATIONS, time = 1)
@Measurement(iterations = BenchmarkDefaults.MEASUREMENT_ITERATIONS, time = 1)
@Fork(BenchmarkDefaults.FORKS)
public abstract class BenchmarkDefaults {
    static final int FORKS = 6;
    static final int WARMUP_ITERATIONS = 2;
    static final int MEASUREMENT_ITERATIONS = 3;
}

package tfobench.bench;

/**
 * How many times every benchmark is measured by default, chosen for the statistics the reports apply
 * (docs/RESULTS-METHOD.md). The replicate is the fork: a new JVM with new servers and, in the private namespace, a
 * fresh network namespace; iterations within one fork share all of that and are not independent. Verdicts use an
 * exact rank test on fork medians with Holm's correction over a table; with {@code n} forks a side the smallest p
 * any data can give is {@code 2 / C(2n, n)}, so a table of {@code k} comparisons needs {@code 2 / C(2n, n) < 0.05 / k}:
 * <ul>
 *   <li>3 forks: 0.1, never a verdict; 4: 0.029, one comparison; 5: 0.0079, up to 6;</li>
 *   <li>6 forks: 0.0022, up to 23 comparisons: the 12 first-request rows of a {@code compare} table and the 20 of
 *       the default suite's savings table (5 comparisons for each of 4 settings).</li>
 * </ul>
 * Within a fork, 2 warm-up and 3 measured iterations of 1 s: each fork's median is then over some 30,000 to 100,000
 * operations on loopback. Quick mode ({@code -f 1 -wi 1 -i 3}) gives figures but can give no verdict, and says so.
 */
final class Replication {
    static final int FORKS = 6;
    static final int WARMUP_ITERATIONS = 2;
    static final int MEASUREMENT_ITERATIONS = 3;

    private Replication() {
    }
}

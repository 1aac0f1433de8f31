package tfobench.report;

/** How JMH measured a result: forks, warm-up and measured iterations, and JMH's mode. */
public record MeasurementSettings(String mode, int forks, int warmupIterations, String warmupTime,
                                  int measurementIterations, String measurementTime) {

    /** e.g. {@code sample, 2 forks, 3 x 1 s warm-up, 5 x 1 s measured}. */
    public String describe() {
        return mode + ", " + forks + (forks == 1 ? " fork, " : " forks, ") + warmupIterations + " x " + warmupTime
                + " warm-up, " + measurementIterations + " x " + measurementTime + " measured";
    }
}

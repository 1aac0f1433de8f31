/**
 * Java against C: the bundled C peer ({@code calib.c}) makes the native client's system calls for the same
 * scenarios and placements, and the Java/C ratios of the medians say what the JVM adds to each figure.
 *
 * <p>Uses the benchmark package's placements and JMH's results of the run; knows nothing of the command line or of
 * how the ratios are printed beyond its own table.
 */
package tfobench.calibration;

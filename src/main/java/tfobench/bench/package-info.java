/**
 * The JMH benchmarks and what makes their numbers true: states that start servers and clients per trial, one
 * operation per benchmark method that checks its answer and its SYN-data evidence (a fast open that fell back
 * throws, never becomes a fast number), the evidence profiler that adds {@code tfo.*} and {@code tcpext.*} secondary
 * metrics, the all-operation latency recording ({@code .hlog}/{@code .hgrm}), placements and cookie misses.
 *
 * <p>Uses {@code server}, {@code client}, {@code linux}, {@code protocol} (the seed request, its answer and the
 * codec the protocol baseline times) and the report package's file names; knows nothing of the command line, the
 * preflight or how results are compared.
 */
package tfobench.bench;

/**
 * Open-loop load: new connections started on a fixed schedule by several client threads, each first request
 * timed from its intended start (so a stall is counted, not hidden as in a closed loop), and the run folder files
 * of a sweep ({@code load-*.hlog}, {@code .hgrm}, {@code load-summary.json}/{@code .md}).
 *
 * <p>Uses {@code client}, {@code linux}, {@code protocol} and the report package's tables; knows nothing of JMH,
 * servers' internals or the command line.
 */
package tfobench.load;

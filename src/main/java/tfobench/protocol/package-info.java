/**
 * The CALCULATE MATH/1.1 wire protocol: request/response model, incremental decoders, allocation-free
 * encoders and the evaluator. Knows nothing of sockets, Netty or JMH; the grammar and every rule are in
 * {@code docs/PROTOCOL.md}.
 *
 * <p>Everything wrong with input surfaces as one checked type, {@link tfobench.protocol.ProtocolException},
 * carrying the {@link tfobench.protocol.Status} a server answers with.
 */
package tfobench.protocol;

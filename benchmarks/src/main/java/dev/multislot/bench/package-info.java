/**
 * JMH benchmarks of the Multislot connector against a raw-Netty floor and a blocking
 * {@code SSLSocket} baseline, all talking to {@code hsm-local} HSMs in a separate JVM over TLS 1.3.
 *
 * <p>{@link dev.multislot.bench.BenchMain} runs the whole matrix and writes the summary;
 * {@link dev.multislot.bench.BenchServer} is the server JVM the benchmarks start. See
 * {@code docs/benchmarks.md}.
 */
package dev.multislot.bench;

/**
 * The benchmarks' machinery: the server process, the floor and blocking clients, the two
 * harnesses that drive the connector and the floor alike, CPU pinning, the run plan, TLS settings,
 * latency recording and the summary. May change at any time.
 */
package dev.multislot.bench.internal;

/**
 * The benchmarks' machinery: the server process, the floor and blocking clients, TLS settings,
 * latency recording and the summary. May change at any time.
 */
package dev.multislot.bench.internal;

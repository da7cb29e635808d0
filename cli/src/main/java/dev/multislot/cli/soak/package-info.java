/**
 * {@code multislot soak}: a long run of a workload on hsm-local under continual trouble (HSMs
 * killed and restarted, clusters added and removed, connections stalled and reset through
 * {@link dev.multislot.local.faults.FaultProxy}, servers disabled and enabled in the config file),
 * which counts every request that never ended or ended twice and samples the process's memory,
 * threads and file descriptors.
 */
package dev.multislot.cli.soak;

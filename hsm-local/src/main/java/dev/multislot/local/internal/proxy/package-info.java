/** Implementation of {@link dev.multislot.local.faults.FaultProxy}; internal, may change. */
package dev.multislot.local.internal.proxy;

/**
 * How the config store works inside: JSON tree validation and editing, atomic file writes,
 * locks and the watcher thread. Nothing here is API: it may change in any release. Use
 * {@link dev.multislot.config.ConfigStore}, {@link dev.multislot.config.ConfigFile} and
 * {@link dev.multislot.config.FileClusterConfigSource} instead.
 */
package dev.multislot.config.internal;

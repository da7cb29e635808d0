/**
 * The cluster config file: {@link dev.multislot.config.ConfigFile} (the document, with its
 * validation and surgical edits), {@link dev.multislot.config.ConfigCodec} (reading and writing
 * within limits), {@link dev.multislot.config.ConfigStore} (locked, atomic read-modify-write of
 * a file) and {@link dev.multislot.config.FileClusterConfigSource} (the watcher a connector uses
 * to follow the file). Every problem with a file is a {@link dev.multislot.config.ConfigFileException}.
 * These types are the stable API; {@code dev.multislot.config.internal} is not.
 */
package dev.multislot.config;

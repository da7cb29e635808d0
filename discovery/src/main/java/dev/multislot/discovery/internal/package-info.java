/**
 * The discovery module's implementation details: SDK clients, error translation, response
 * mapping. Not API: anything here may change in any release.
 */
package dev.multislot.discovery.internal;

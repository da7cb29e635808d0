/**
 * The software token: one key store per cluster, real JCA crypto, run on worker threads. Internal:
 * may change in any release.
 */
package dev.multislot.local.internal.token;

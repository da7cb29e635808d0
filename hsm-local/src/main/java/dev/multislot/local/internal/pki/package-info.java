/**
 * The local clusters' certificate authority and PEM file handling (BouncyCastle). Internal: may
 * change in any release.
 */
package dev.multislot.local.internal.pki;

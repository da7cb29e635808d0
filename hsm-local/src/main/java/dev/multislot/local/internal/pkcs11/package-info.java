/**
 * The PKCS#11 token: the protocol's key and crypto requests on a PKCS#11 module's token (SoftHSM2
 * in tests, a vendor's module in use), through the JDK's own PKCS#11 wrapper
 * ({@code sun.security.pkcs11.wrapper}, exported to the class path with
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}). See
 * docs/pkcs11.md for the mapping. Internal: may change in any release.
 */
package dev.multislot.local.internal.pkcs11;

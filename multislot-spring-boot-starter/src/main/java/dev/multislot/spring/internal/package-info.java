/**
 * The starter's implementation: property mapping, lifecycle, health. It may change in any release;
 * use {@link dev.multislot.spring} instead.
 */
package dev.multislot.spring.internal;

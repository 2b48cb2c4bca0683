/**
 * Personal-data protection: field actions (pseudonymise, mask, generalise, drop, encrypt) by
 * annotation on record classes or by path on JSON and maps, with keys from configuration.
 */
@NullMarked
package dev.collect.core.privacy;

import org.jspecify.annotations.NullMarked;

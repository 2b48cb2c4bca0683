package dev.collect.cdc;

import org.jspecify.annotations.Nullable;

/**
 * One column's values before and after an update.
 *
 * @param oldValue the value before (may be null: the column was SQL NULL)
 * @param newValue the value after (may be null)
 */
public record FieldChange(@Nullable Object oldValue, @Nullable Object newValue) {}

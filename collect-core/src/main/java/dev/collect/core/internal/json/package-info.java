/** Jackson plumbing: the shared mapper and the JSON collector with schema-drift counting. */
@NullMarked
package dev.collect.core.internal.json;

import org.jspecify.annotations.NullMarked;

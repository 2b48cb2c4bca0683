/** Jackson plumbing: the shared mapper and the JSON collector with schema-drift counting. */
package dev.collect.core.internal.json;

/** Embedded servers the example mains start when no real one is given. */
package dev.collect.examples.support;

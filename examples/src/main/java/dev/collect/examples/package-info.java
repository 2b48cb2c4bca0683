/** Runnable mains that show how to use Collect, one scenario each. */
package dev.collect.examples;

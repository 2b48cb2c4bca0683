/** Recommendation training data: implicit-feedback weights with context. */
package dev.collect.examples.recommend;

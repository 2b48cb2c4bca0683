package dev.collect.examples.fraud;

/**
 * A transaction with its fraud label and the weight that undoes the sampling: a kept negative
 * stands for {@code 1 / rate} negatives.
 */
public record LabeledTransaction(
    String id,
    String card,
    long amountCents,
    String merchant,
    boolean fraud,
    double samplingWeight) {}

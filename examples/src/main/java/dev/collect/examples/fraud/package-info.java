/** Fraud detection training data in real time: labels joined from a batch file, class sampling. */
package dev.collect.examples.fraud;

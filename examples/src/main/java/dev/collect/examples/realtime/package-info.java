/** Real-time clickstream collection from Kafka into a data lake, with a dead-letter topic. */
package dev.collect.examples.realtime;

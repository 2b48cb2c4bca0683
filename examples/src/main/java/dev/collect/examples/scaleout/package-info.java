/**
 * Scale-out: one clickstream pipeline run as several processes in one Kafka consumer group, all
 * writing one lake root; a demo that kills one, and a throughput curve over 1, 2 and 3 processes.
 */
package dev.collect.examples.scaleout;

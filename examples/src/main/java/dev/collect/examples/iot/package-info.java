/** IoT telemetry over MQTT with gap detection and anomaly flags per sensor. */
package dev.collect.examples.iot;

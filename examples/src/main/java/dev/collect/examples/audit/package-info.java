/** Event sourcing for an audit trail: record interactions, read a user's history, replay, erase. */
package dev.collect.examples.audit;

/** The paginated HTTP source: requests with rate limiting and retries, page parsing, progress. */
package dev.collect.batch.internal.http;

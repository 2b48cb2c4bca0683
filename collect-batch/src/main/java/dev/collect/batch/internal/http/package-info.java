/** The paginated HTTP source: requests with rate limiting and retries, page parsing, progress. */
@NullMarked
package dev.collect.batch.internal.http;

import org.jspecify.annotations.NullMarked;

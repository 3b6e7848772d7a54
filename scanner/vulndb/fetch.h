/* Download one URL into a stream with libcurl: timeouts, a size cap, ETag revalidation and retries. */
#ifndef CUSTOMS_VULNDB_FETCH_H
#define CUSTOMS_VULNDB_FETCH_H

#include <stdint.h>
#include <stdio.h>

#include "util/strbuf.h"

/* Called as bytes arrive; total is 0 while the size is unknown. */
typedef void (*fetch_progress_fn)(void *data, uint64_t received, uint64_t total);

struct fetch_options {
	long timeout_seconds;	    /* limit on one attempt, from connect to the last byte; 0 is none */
	unsigned retries;	    /* attempts after the first one, on transient failures only */
	unsigned retry_base_ms;	    /* the first backoff delay; each retry doubles it */
	uint64_t max_size;	    /* a larger body fails with ERR_LIMIT; 0 is no cap */
	const char *cacert;	    /* PEM bundle to trust; NULL tries the usual system bundle paths */
	fetch_progress_fn progress; /* may be NULL */
	void *progress_data;
};

/* The longest Retry-After that is waited for; a longer one fails the URL at once. */
#define FETCH_MAX_RETRY_AFTER 60

/* What fetch_url() gives back on success. */
enum {
	FETCH_OK = 0,		/* the body is in the stream */
	FETCH_NOT_MODIFIED = 1, /* 304: the stream is empty, the caller's copy is current */
};

/*
 * GET url (http or https only, at most 5 redirects) and write the body to fp,
 * which must be an empty regular file open for writing: a retry truncates it
 * and starts over. When etag is not NULL it goes out as If-None-Match. When
 * new_etag is not NULL it receives the final response's ETag, or stays empty.
 *
 * Transient failures (429, 5xx, timeouts, stalls, refused connections,
 * bodies cut short) are retried opts->retries times, waiting retry_base_ms,
 * then twice that each time, or what a 429's Retry-After asks when it is at
 * most FETCH_MAX_RETRY_AFTER seconds.
 *
 * Returns FETCH_OK or FETCH_NOT_MODIFIED, or a negative code with one line in
 * err naming the URL (credentials in it hidden) and the problem:
 *   ERR_FAILED     the server could not be reached or did not deliver
 *                  (network errors, timeouts, 5xx, 429, truncated bodies)
 *   ERR_NOT_FOUND  HTTP 404 or 410
 *   ERR_BAD_INPUT  any other HTTP error status
 *   ERR_LIMIT      the body is larger than opts->max_size
 *   ERR_USAGE      the URL is malformed or not http/https
 *   ERR_IO         writing fp failed
 */
int fetch_url(const char *url, FILE *fp, const struct fetch_options *opts, const char *etag,
	      struct strbuf *new_etag, struct strbuf *err);

/* url with any user:password@ replaced by "***@", for messages. The caller frees it. */
char *fetch_redact_url(const char *url);

#endif

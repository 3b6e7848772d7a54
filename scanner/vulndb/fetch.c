/* HTTP(S) downloads for `db update`: one GET per attempt, retried with backoff on transient failures. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "vulndb/fetch.h"

#define MAX_REDIRECTS 5L
#define CONNECT_TIMEOUT 30L
/* Less than one byte a second for this long is a stalled server, whatever the overall timeout. */
#define STALL_SECONDS 30L
#define MAX_BACKOFF_MS 60000u
/* ETags and reason phrases come from the server: keep them short and printable. */
#define MAX_ETAG 512
#define MAX_REASON 64

/* libcurl ignores SSL_CERT_FILE and a static build knows one path: look where distributions put it. */
static const char *const ca_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu, Alpine, Arch */
    "/etc/pki/tls/certs/ca-bundle.crt",	  /* Fedora, RHEL */
    "/etc/ssl/ca-bundle.pem",		  /* openSUSE */
    "/etc/ssl/cert.pem",		  /* Alpine, macOS-like layouts */
};

struct transfer {
	FILE *fp;
	const struct fetch_options *opts;
	uint64_t written;
	long status; /* of the response being received; redirects reset it */
	char reason[MAX_REASON + 1];
	struct strbuf etag;
	int write_errno;
	int too_big;
};

char *fetch_redact_url(const char *url)
{
	struct strbuf sb = STRBUF_INIT;
	const char *host = strstr(url, "://");
	const char *end, *at = NULL;

	if (!host)
		return xstrdup(url);
	host += 3;
	end = host + strcspn(host, "/?#");
	for (const char *p = host; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return xstrdup(url);
	strbuf_add(&sb, url, (size_t)(host - url));
	strbuf_addstr(&sb, "***");
	strbuf_addstr(&sb, at);
	return strbuf_detach(&sb, NULL);
}

static int is_http_url(const char *url)
{
	return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

static int printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static size_t trim_len(const char *s, size_t len)
{
	while (len && (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len;
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *data)
{
	struct transfer *t = data;
	size_t len = size * nitems, n;

	if (len > 5 && !memcmp(buf, "HTTP/", 5)) {
		/* A new response (after a redirect or a 100 Continue): forget the previous one's headers. */
		const char *p = memchr(buf, ' ', len), *reason;

		t->status = 0;
		t->reason[0] = '\0';
		strbuf_reset(&t->etag);
		if (!p)
			return len;
		t->status = strtol(p + 1, NULL, 10);
		reason = memchr(p + 1, ' ', len - (size_t)(p + 1 - buf));
		if (reason) {
			reason++;
			n = trim_len(reason, len - (size_t)(reason - buf));
			if (n > MAX_REASON)
				n = MAX_REASON;
			if (printable(reason, n)) {
				memcpy(t->reason, reason, n);
				t->reason[n] = '\0';
			}
		}
	} else if (len > 5 && !strncasecmp(buf, "etag:", 5)) {
		const char *v = buf + 5;

		n = len - 5;
		while (n && (*v == ' ' || *v == '\t')) {
			v++;
			n--;
		}
		n = trim_len(v, n);
		strbuf_reset(&t->etag);
		/* A value we could not send back verbatim is as good as none. */
		if (n && n <= MAX_ETAG && printable(v, n))
			strbuf_add(&t->etag, v, n);
	}
	return len;
}

static int is_success(long status)
{
	return status >= 200 && status < 300;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct transfer *t = data;
	size_t len = size * nmemb;

	/* An error page is not the file: it is read and dropped, the status says what happened. */
	if (!is_success(t->status))
		return len;
	if (t->opts->max_size && t->written + len > t->opts->max_size) {
		t->too_big = 1;
		return 0;
	}
	if (fwrite(ptr, 1, len, t->fp) != len) {
		t->write_errno = errno ? errno : EIO;
		return 0;
	}
	t->written += len;
	return len;
}

static int on_progress(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct transfer *t = data;

	if (is_success(t->status))
		t->opts->progress(t->opts->progress_data, (uint64_t)dlnow, (uint64_t)dltotal);
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Failures worth another attempt: the server or the path to it may be better in a moment. */
static int is_transient_curl(CURLcode res)
{
	switch (res) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		return 1;
	default:
		return 0;
	}
}

static int is_transient_status(long status)
{
	return status == 408 || status == 429 || (status >= 500 && status < 600);
}

/* libcurl's messages start with a capital letter; ours are lowercase. */
static void add_curl_message(struct strbuf *sb, CURLcode res, const char *errbuf)
{
	size_t start = sb->len;

	strbuf_addstr(sb, *errbuf ? errbuf : curl_easy_strerror(res));
	while (sb->len > start && (sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == '.'))
		sb->buf[--sb->len] = '\0';
	if (sb->buf[start] >= 'A' && sb->buf[start] <= 'Z' &&
	    !(sb->buf[start + 1] >= 'A' && sb->buf[start + 1] <= 'Z'))
		sb->buf[start] = (char)(sb->buf[start] - 'A' + 'a');
}

static void setup_tls(CURL *curl, const struct fetch_options *opts)
{
	const char *ca = opts->cacert;

	/* The static build's TLS (mbedtls 2.28) stops at 1.2; nothing older is safe. */
	curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	for (size_t i = 0; !ca && i < sizeof(ca_bundles) / sizeof(ca_bundles[0]); i++)
		if (access(ca_bundles[i], R_OK) == 0)
			ca = ca_bundles[i];
	if (ca)
		curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
}

/* One GET. Returns FETCH_OK, FETCH_NOT_MODIFIED or a negative code; *transient says whether to retry. */
static int attempt(CURL *curl, struct transfer *t, const char *shown, int sent_etag, int *transient,
		   long *retry_after, struct strbuf *err)
{
	char errbuf[CURL_ERROR_SIZE];
	CURLcode res;
	curl_off_t after = -1;

	*transient = 0;
	*retry_after = -1;
	errbuf[0] = '\0';
	t->written = 0;
	t->status = 0;
	t->reason[0] = '\0';
	t->too_big = 0;
	t->write_errno = 0;
	strbuf_reset(&t->etag);
	/* A retry starts the file over: a partial body from the last attempt must not stay in front. */
	if (fflush(t->fp) != 0 || ftruncate(fileno(t->fp), 0) != 0 || fseeko(t->fp, 0, SEEK_SET) != 0)
		return error_code(err, ERR_IO, "cannot write the download of '%s': %s", shown,
				  strerror(errno));
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	res = curl_easy_perform(curl);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);

	if (t->write_errno)
		return error_code(err, ERR_IO, "cannot write the download of '%s': %s", shown,
				  strerror(t->write_errno));
	if (t->too_big || res == CURLE_FILESIZE_EXCEEDED)
		return error_code(err, ERR_LIMIT, "cannot download '%s': larger than the limit of %llu bytes",
				  shown, (unsigned long long)t->opts->max_size);
	if (res != CURLE_OK && t->status >= 300 && t->status < 400 &&
	    (res == CURLE_UNSUPPORTED_PROTOCOL || res == CURLE_URL_MALFORMAT)) {
		/* A build without file:// support calls such a target malformed: either way the server misled
		 * us. */
		return error_code(err, ERR_FAILED,
				  "cannot download '%s': http %ld redirects to a url that is not allowed "
				  "(only http and https are)",
				  shown, t->status);
	}
	if (res != CURLE_OK) {
		strbuf_reset(err);
		strbuf_addf(err, "cannot download '%s': ", shown);
		add_curl_message(err, res, errbuf);
		*transient = is_transient_curl(res);
		return res == CURLE_URL_MALFORMAT ? ERR_USAGE : ERR_FAILED;
	}
	if (is_success(t->status))
		return FETCH_OK;
	if (t->status == 304 && sent_etag)
		return FETCH_NOT_MODIFIED;

	strbuf_reset(err);
	strbuf_addf(err, "cannot download '%s': http %ld", shown, t->status);
	if (t->reason[0])
		strbuf_addf(err, " %s", t->reason);
	if (t->status == 404 || t->status == 410)
		return ERR_NOT_FOUND;
	if (!is_transient_status(t->status))
		return ERR_BAD_INPUT;
	if (t->status == 429 && curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
	    after > 0) {
		if (after > FETCH_MAX_RETRY_AFTER) {
			strbuf_addf(err, " (the server asks to wait %lld seconds)", (long long)after);
			return ERR_FAILED;
		}
		*retry_after = (long)after;
	}
	*transient = 1;
	return ERR_FAILED;
}

int fetch_url(const char *url, FILE *fp, const struct fetch_options *opts, const char *etag,
	      struct strbuf *new_etag, struct strbuf *err)
{
	struct transfer t = {.fp = fp, .opts = opts, .etag = STRBUF_INIT};
	struct curl_slist *headers = NULL;
	struct strbuf header = STRBUF_INIT;
	char *shown = fetch_redact_url(url);
	unsigned delay = opts->retry_base_ms, attempts = 0;
	long retry_after;
	int ret, transient;
	CURL *curl;

	if (!is_http_url(url)) {
		ret = error_code(err, ERR_USAGE,
				 "cannot download '%s': only http and https urls are supported", shown);
		free(shown);
		return ret;
	}
	curl = curl_easy_init();
	if (!curl) {
		ret = error_code(err, ERR_FAILED, "cannot download '%s': libcurl did not start", shown);
		free(shown);
		return ret;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "customs/" CUSTOMS_VERSION);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
			 opts->timeout_seconds > 0 && opts->timeout_seconds < CONNECT_TIMEOUT
			     ? opts->timeout_seconds
			     : CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, opts->timeout_seconds > 0 ? opts->timeout_seconds : 0L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, STALL_SECONDS);
	if (opts->max_size)
		curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)opts->max_size);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	if (opts->progress) {
		curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
		curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	}
	setup_tls(curl, opts);
	if (etag && *etag) {
		strbuf_addf(&header, "If-None-Match: %s", etag);
		headers = curl_slist_append(headers, header.buf);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	}

	for (;;) {
		attempts++;
		ret = attempt(curl, &t, shown, headers != NULL, &transient, &retry_after, err);
		if (ret >= 0 || !transient || attempts > opts->retries)
			break;
		sleep_ms(retry_after >= 0 ? (unsigned)retry_after * 1000u : delay);
		delay = delay > MAX_BACKOFF_MS / 2 ? MAX_BACKOFF_MS : delay * 2;
	}
	if (ret < 0 && transient && attempts > 1)
		strbuf_addf(err, " (%u attempts)", attempts);
	if (ret == FETCH_OK && new_etag) {
		strbuf_reset(new_etag);
		strbuf_add(new_etag, t.etag.buf, t.etag.len);
	}
	if (ret == FETCH_OK && fflush(fp) != 0)
		ret =
		    error_code(err, ERR_IO, "cannot write the download of '%s': %s", shown, strerror(errno));

	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	strbuf_release(&header);
	strbuf_release(&t.etag);
	free(shown);
	return ret;
}

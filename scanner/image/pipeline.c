/*
 * A bounded ring of chunks between the reading thread (read, decompress)
 * and the caller's thread (blob and diff_id hashes, tar parse), so an image
 * uses two cores: inflating is the larger half, hashing and parsing the other. With CUSTOMS_THREADS=1 the
 * caller runs the producer itself.
 */
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/xalloc.h"

static void clear_chunk(struct chunk *c)
{
	free(c->name);
	free(c->alias_of);
	free(c->meta);
	c->name = c->alias_of = NULL;
	c->meta = NULL;
	c->meta_len = 0;
	c->json_too_big = 0;
}

static void *reader_main(void *arg)
{
	struct pipeline *pl = arg;

	for (;;) {
		struct chunk *c;
		enum chunk_kind kind;

		pthread_mutex_lock(&pl->mu);
		while (pl->count == pl->nslots && !pl->stop)
			pthread_cond_wait(&pl->not_full, &pl->mu);
		if (pl->stop) {
			pthread_mutex_unlock(&pl->mu);
			break;
		}
		c = &pl->slots[(pl->head + pl->count) % pl->nslots];
		pthread_mutex_unlock(&pl->mu);

		/* The slot is ours until count covers it. */
		producer_step(pl->prod, c);
		kind = c->kind;

		pthread_mutex_lock(&pl->mu);
		pl->count++;
		pthread_cond_signal(&pl->not_empty);
		pthread_mutex_unlock(&pl->mu);
		if (kind == CHUNK_EOF || kind == CHUNK_ERROR)
			break;
	}
	return NULL;
}

static int want_threads(void)
{
	const char *env = getenv("CUSTOMS_THREADS");
	return !(env && !strcmp(env, "1"));
}

void pipeline_start(struct pipeline *pl, struct producer *prod)
{
	size_t i;

	memset(pl, 0, sizeof(*pl));
	pl->prod = prod;
	pl->threaded = want_threads();
	pl->nslots = pl->threaded ? IMAGE_RING_SLOTS : 1;
	for (i = 0; i < pl->nslots; i++) {
		pl->slots[i].buf = xmalloc(IMAGE_CHUNK_SIZE);
		pl->slots[i].raw = xmalloc(IMAGE_CHUNK_SIZE);
		strbuf_init(&pl->slots[i].err, 0);
	}
	if (!pl->threaded)
		return;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->not_empty, NULL);
	pthread_cond_init(&pl->not_full, NULL);
	if (pthread_create(&pl->thread, NULL, reader_main, pl)) {
		/* No thread to be had: read on this one instead. */
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->not_empty);
		pthread_cond_destroy(&pl->not_full);
		pl->threaded = 0;
	}
}

struct chunk *pipeline_get(struct pipeline *pl)
{
	struct chunk *c;

	if (pl->held)
		abort(); /* release the previous chunk first */
	pl->held = 1;
	if (!pl->threaded) {
		c = &pl->slots[0];
		producer_step(pl->prod, c);
		return c;
	}
	pthread_mutex_lock(&pl->mu);
	while (!pl->count)
		pthread_cond_wait(&pl->not_empty, &pl->mu);
	c = &pl->slots[pl->head];
	pthread_mutex_unlock(&pl->mu);
	return c;
}

void pipeline_release(struct pipeline *pl)
{
	if (!pl->held)
		return;
	pl->held = 0;
	clear_chunk(&pl->slots[pl->head]);
	if (!pl->threaded)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->head = (pl->head + 1) % pl->nslots;
	pl->count--;
	pthread_cond_signal(&pl->not_full);
	pthread_mutex_unlock(&pl->mu);
}

void pipeline_finish(struct pipeline *pl)
{
	size_t i;

	pipeline_release(pl);
	if (pl->threaded) {
		pthread_mutex_lock(&pl->mu);
		pl->stop = 1;
		pthread_cond_broadcast(&pl->not_full);
		pthread_mutex_unlock(&pl->mu);
		pthread_join(pl->thread, NULL);
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->not_empty);
		pthread_cond_destroy(&pl->not_full);
	}
	for (i = 0; i < pl->nslots; i++) {
		clear_chunk(&pl->slots[i]);
		free(pl->slots[i].buf);
		free(pl->slots[i].raw);
		strbuf_release(&pl->slots[i].err);
	}
	producer_free(pl->prod);
	pl->prod = NULL;
}

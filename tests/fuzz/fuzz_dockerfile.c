/* libFuzzer target for the Dockerfile parser: any bytes as a Dockerfile, then its rules and linking. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dockerfile.h"
#include "util/strbuf.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A small image whose history looks like BuildKit's, so linking walks real pairs. */
static const char *const history[] = {
    "/bin/sh -c #(nop) ADD file:aa in / ",
    "ENV A=b",
    "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
    "COPY app /app # buildkit",
    "USER 1000",
};

static void check_string(const char *s)
{
	if (!s)
		return;
	if (!utf8_is_valid(s, strlen(s)) || strchr(s, '\n'))
		abort();
}

static void link_findings(const struct dockerfile *df)
{
	struct image img;
	struct image_history h[5];
	struct image_layer layers[3];
	struct check_results res;
	struct check_finding f;
	int nr_layers = 0;

	memset(&img, 0, sizeof(img));
	memset(layers, 0, sizeof(layers));
	for (size_t i = 0; i < 5; i++) {
		int layer = i == 0 || i == 2 || i == 3;

		h[i].created_by = history[i];
		h[i].empty_layer = !layer;
		h[i].layer = layer ? nr_layers++ : -1;
	}
	img.history = h;
	img.nr_history = 5;
	img.layers = layers;
	img.nr_layers = (size_t)nr_layers;

	check_results_init(&res);
	dockerfile_checks_run(df, &res);
	memset(&f, 0, sizeof(f));
	f.rule = check_rule_find("CUS-CFG-008");
	f.layer = 1;
	f.history = 2;
	check_results_add(&res, &f);
	f.history = -1;
	f.layer = 2;
	check_results_add(&res, &f);
	for (const char *id = "CUS-CFG-001"; id; id = strcmp(id, "CUS-CFG-001") ? NULL : "CUS-CFG-005") {
		f.rule = check_rule_find(id);
		f.layer = -1;
		f.subject = "22/tcp";
		check_results_add(&res, &f);
	}
	dockerfile_link(df, &img, &res);
	for (size_t i = 0; i < res.nr; i++) {
		const struct check_finding *c = &res.findings[i];

		check_string(c->subject);
		check_string(c->detail);
		check_string(c->instruction);
		if (c->instruction && strlen(c->instruction) > 210)
			abort();
		if (c->path_is_dockerfile && (!c->line || c->line != c->dockerfile_line))
			abort();
	}
	(void)dockerfile_own_layer_count(df);
	check_results_release(&res);
}

/*
 * A Dockerfile comes with the repository being scanned. Whatever the
 * bytes, a success has at least one stage and instructions in line order,
 * and a failure is one line naming the file and yields nothing.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct dockerfile *df = NULL;

	if (dockerfile_parse((const char *)data, size, "fuzz/Dockerfile", &df, &err) == 0) {
		uint64_t last = 0;

		if (!df || !df->nr_stages || df->nr_instructions > DOCKERFILE_MAX_INSTRUCTIONS)
			abort();
		for (size_t i = 0; i < df->nr_instructions; i++) {
			const struct dockerfile_instruction *in = &df->instructions[i];

			if (in->line <= last || in->end_line < in->line || strchr(in->text, '\n'))
				abort();
			last = in->end_line;
			check_string(in->text);
			if (in->stage >= (int)df->nr_stages)
				abort();
		}
		for (size_t s = 0; s < df->nr_stages; s++)
			if (df->stages[s].base_stage >= (int)s || df->stages[s].first >= df->stages[s].end)
				abort();
		link_findings(df);
		dockerfile_free(df);
	} else if (df || !err.len || strchr(err.buf, '\n') || !strstr(err.buf, "'fuzz/Dockerfile'") ||
		   !utf8_is_valid(err.buf, err.len)) {
		abort();
	}
	strbuf_release(&err);
	return 0;
}

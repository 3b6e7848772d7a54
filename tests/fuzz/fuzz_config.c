/* libFuzzer target for the config file parser: any bytes as .customs.json, with every kind of key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_config.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct cmd_config_key keys[] = {
	{ "fail-on", CMD_CONFIG_STRING, 1 },
	{ "fail-on-count", CMD_CONFIG_COUNTS, 2 },
	{ "only-fixed", CMD_CONFIG_BOOL, 3 },
	{ "ignore-unfixed", CMD_CONFIG_BOOL, 3 },
	{ "vex", CMD_CONFIG_LIST, 4 },
	{ NULL, 0, 0 },
};

/*
 * A config file comes with the repository being scanned. Whatever the
 * bytes, a success holds only known keys with values within the caps, and a
 * failure is exactly one line that names the file.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct cmd_config *cfg = NULL;

	if (cmd_config_parse((const char *)data, size, "fuzz.json", keys, &cfg, &err) == 0) {
		for (size_t i = 0; i < cfg->nr_entries; i++) {
			const struct cmd_config_entry *e = &cfg->entries[i];

			if (!e->key || !e->key->name || e->nr_values > CMD_CONFIG_MAX_ITEMS)
				abort();
			for (size_t v = 0; v < e->nr_values; v++)
				if (!e->values[v] || !*e->values[v] || strlen(e->values[v]) > CMD_CONFIG_MAX_STRING + 80)
					abort();
		}
		cmd_config_free(cfg);
	} else if (cfg || !err.len || strchr(err.buf, '\n') || !strstr(err.buf, "fuzz.json")) {
		abort();
	}
	strbuf_release(&err);
	return 0;
}

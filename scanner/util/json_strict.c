/* Strict JSON reading shared by the config file and the policy documents. */
#include "util/json_strict.h"

#include <string.h>

#include "util/error.h"

cJSON *json_parse_strict(const char *data, size_t len, enum json_strict_fault *fault, size_t *at)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);

	*fault = JSON_STRICT_OK;
	*at = 0;
	if (!root) {
		*fault = JSON_STRICT_SYNTAX;
		*at = end && end >= data && end <= data + len ? (size_t)(end - data) : 0;
		return NULL;
	}
	/* Trailing bytes after the value would be a second document nobody reads, or a broken edit. */
	while (end && end < data + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (end && end < data + len) {
		cJSON_Delete(root);
		*fault = JSON_STRICT_TRAILING;
		*at = (size_t)(end - data);
		return NULL;
	}
	return root;
}

const char *json_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsObject(item))
		return "an object";
	return "an unknown value";
}

int json_check_string(const cJSON *item, const char *what, size_t max_len, struct strbuf *err)
{
	size_t len;

	if (!cJSON_IsString(item) || !item->valuestring)
		return error_code(err, ERR_BAD_INPUT, "%s must be a string, not %s", what,
				  json_type_name(item));
	len = strlen(item->valuestring);
	if (!len)
		return error_code(err, ERR_BAD_INPUT, "%s must not be empty", what);
	if (len > max_len)
		return error_code(err, ERR_LIMIT, "%s is too long: %zu bytes, the limit is %zu", what, len,
				  max_len);
	return 0;
}

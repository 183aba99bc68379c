/* The calls command's list options; see calls_args.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls_shared.h"
#include "methods/calls.h"
#include "methods/calls_args.h"
#include "methods/calls_core.h"

int calls_parse_ks(const char *arg, uint32_t *k, size_t *nk)
{
	uint32_t v[CALLS_MAX_KS];
	const char *s = arg;
	size_t n = 0;

	for (;;) {
		char *end;
		unsigned long x;

		if (!isdigit((unsigned char)*s) || (x = strtoul(s, &end, 10)) > CALLS_MAX_K ||
		    (*end && *end != ',')) {
			fprintf(stderr, "calls: --k '%s': wants a comma-separated list of K in 0..%d\n",
				arg, CALLS_MAX_K);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			if (v[i] == x) {
				fprintf(stderr, "calls: --k '%s': K=%lu is given twice\n", arg, x);
				return -1;
			}
		if (n == CALLS_MAX_KS) {
			fprintf(stderr, "calls: --k '%s': at most %d K values\n", arg, CALLS_MAX_KS);
			return -1;
		}
		v[n++] = (uint32_t)x;
		if (!*end)
			break;
		s = end + 1;
	}
	if (n < 2) {
		fprintf(stderr, "calls: --k '%s': needs at least 2 distinct K values (ns per call is "
			"the slope of a line over K; one K fits no line)\n", arg);
		return -1;
	}
	memcpy(k, v, n * sizeof(*v));
	*nk = n;
	return 0;
}

/* s[0..len) is exactly word. */
static bool is_word(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && !strncmp(s, word, len);
}

int calls_parse_triggers(const char *arg, bool *synthetic, bool *storm)
{
	bool sy = false, st = false;
	const char *s = arg;

	for (;;) {
		size_t len = strcspn(s, ",");

		if (is_word(s, len, CALLS_TRIGGER_SYNTHETIC))
			sy = true;
		else if (is_word(s, len, CALLS_TRIGGER_STORM))
			st = true;
		else {
			fprintf(stderr, "calls: --trigger '%s': unknown trigger '%.*s' (a list of %s "
				"and %s)\n", arg, (int)len, s, CALLS_TRIGGER_SYNTHETIC,
				CALLS_TRIGGER_STORM);
			return -1;
		}
		if (!s[len])
			break;
		s += len + 1;
	}
	*synthetic = sy;
	*storm = st;
	return 0;
}

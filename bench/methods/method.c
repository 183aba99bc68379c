/* Look-ups over a set of methods; see method.h. */
#include "methods/method.h"

#include <string.h>

const struct method *method_find(const struct method_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name))
			return &s->m[i];
	return NULL;
}

size_t method_files(const struct method_set *s, const struct result_file **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		for (size_t f = 0; s->m[i].files && s->m[i].files[f] && n < max; f++)
			out[n++] = s->m[i].files[f];
	return n;
}

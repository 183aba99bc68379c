/* The embedded objects and adding them to a catalog; see sweep_embedded.h. */
#include "kernel/sweep_embedded.h"

/* The .incbin lines and the table, generated from the quick grid's object
 * list (sweep.mk, scripts/sweep-embed.sh). */
#include "sweep/embed.inc"

int sweep_catalog_add_embedded(struct sweep_catalog *c)
{
	for (size_t i = 0; i < nsweep_embedded; i++)
		if (sweep_catalog_add_mem(c, sweep_embedded[i].name, sweep_embedded[i].start,
					  (size_t)(sweep_embedded[i].end - sweep_embedded[i].start)))
			return -1;
	return 0;
}

/* Synthetic overhead rounds whose answer is known, shared by the tests of
 * the overhead summary and of its report (header-only, like unit_helpers.h).
 * Include after methods/overhead.h. */
#ifndef BPF2BPF_OVERHEAD_ROUNDS_H
#define BPF2BPF_OVERHEAD_ROUNDS_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* A round-to-round drift every cell shares, plus a small per-cell jitter:
 * what interleaved rounds are designed to cancel. */
static double drift(int round)
{
	return 20.0 * sin(round * 0.7);
}

static double jitter(int round, int cell)
{
	uint32_t h = (uint32_t)round * 2654435761u ^ (uint32_t)(cell + 1) * 2246822519u;

	h ^= h >> 15;
	h *= 2654435761u;
	h ^= h >> 13;
	return 2.0 * ((double)(h % 1000) / 1000.0 - 0.5); /* uniform, +-1 ns */
}

struct spec {
	const char *variant;
	double ns;
};

/* rounds 0..n (0 the warm-up) of every cell, plus one partial round. */
static struct rounds_row *make_rounds(const struct spec *cells, int ncells, int n, size_t *count)
{
	struct rounds_row *rows = calloc((size_t)(n + 2) * (size_t)(ncells + 1), sizeof(*rows));
	size_t k = 0;

	for (int r = 0; r <= n + 1; r++)
		for (int c = -1; c < ncells; c++) {
			struct rounds_row *x = &rows[k++];
			bool none = c < 0;

			rf_row_clear(&rounds_csv, x);
			x->kernel = "k";
			x->variant = none ? "none" : cells[c].variant;
			x->attach = "tp_btf";
			x->output = none ? "" : "none";
			x->round = r;
			x->position = c + 1;
			x->connections = 1000;
			x->conn_per_s = 20000 - (none ? 0 : 200) + 50 * drift(r);
			x->cpu_us_per_conn = 30;
			x->elapsed_s = 0.05;
			x->reloads = 0;
			x->status = r == 0 ? "warmup" : r == n + 1 ? "partial-round" : "ok";
			x->flags = "";
			x->timing = "native";
			if (none)
				continue;
			x->events = 2000;
			x->drops = 0;
			x->received = 0;
			x->run_cnt = 6000 + (r == 3 ? 600 : 0); /* other traffic in round 3 */
			x->tail_run_cnt = 0;
			x->ns_per_event = cells[c].ns + drift(r) + jitter(r, c);
			x->ns_per_run = x->ns_per_event / 3;
			x->run_time_ns = (int64_t)(x->ns_per_event * 2000);
		}
	*count = k;
	return rows;
}

#endif

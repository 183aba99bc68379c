/* bpf2bpf-bench calls: what one call of the handler costs per mechanism,
 * resolved to a fraction of a nanosecond, and why (calls.h).
 *
 * Method (the measuring core is methods/calls_core.h, the programs
 * bpf/calls.bpf.h): every variant's handler runs K times per trigger and the
 * program times the K calls itself with bpf_ktime_get_ns(), so neither the
 * kernel's run-time statistics nor the hook dispatch are in the figure; a
 * line over K per round gives ns per call (slope) and the fixed cost
 * (intercept); the mechanism's cost is the per-round slope difference to the
 * inlined handler. Every (variant, K) cell runs once per round in rotated
 * order, over many short rounds, in blocks on freshly loaded programs.
 * Two triggers: the synthetic one (bpf_trigger_tp fired from a raw_tp
 * driver, the selftests' bench_trigger) and the real hooks of every attach
 * mode under a connection storm; a mode or variant the kernel refuses is a
 * row with the kernel's words. Also measured every run: what
 * kernel.bpf_stats_enabled adds per program run. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "calls_shared.h"
#include "methods/calls_core.h"
#include "kernel/calls_objects.h"
#include "kernel/kallsyms.h"
#include "kernel/session.h"
#include "methods/calls.h"
#include "methods/calls_args.h"
#include "methods/method.h"
#include "storm/hammer.h"

#define MAX_MODES 8
#define JIT_DIR "dumps/calls-jit"

struct calls_cmd_opts {
	const char *dir;
	bool synthetic, storm;
	const struct attach_mode *modes[MAX_MODES]; /* storm modes; none: every mode */
	size_t nmodes;
	bool auto_mode;		 /* --attach auto: the primary mode only */
	bool variants[64];
	struct calls_opts synth, hooks; /* the core's options per trigger */
};

/* Rows as measured, with the storage their text points into. */
struct log {
	struct calls_round_row *rows;
	size_t n, cap;
	char **strings;
	size_t nstrings, capstrings;
	uint64_t *targets; /* rel32 targets of every image kept (kallsyms excerpt) */
	size_t ntargets, captargets;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
	hammer_request_stop();
}

static struct calls_round_row *log_add(struct log *g)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 1024;
		struct calls_round_row *r = realloc(g->rows, cap * sizeof(*r));

		if (!r)
			return NULL;
		g->rows = r;
		g->cap = cap;
	}
	rf_row_clear(&calls_rounds_csv, &g->rows[g->n]);
	return &g->rows[g->n++];
}

/* A copy of s that lives as long as the log. */
static const char *keep(struct log *g, const char *s)
{
	char *c;

	if (g->nstrings == g->capstrings) {
		size_t cap = g->capstrings ? 2 * g->capstrings : 64;
		char **n = realloc(g->strings, cap * sizeof(*n));

		if (!n)
			return "";
		g->strings = n;
		g->capstrings = cap;
	}
	if (!(c = strdup(s)))
		return "";
	g->strings[g->nstrings++] = c;
	return c;
}

static void log_free(struct log *g)
{
	for (size_t i = 0; i < g->nstrings; i++)
		free(g->strings[i]);
	free(g->strings);
	free(g->rows);
	free(g->targets);
	memset(g, 0, sizeof(*g));
}

static void row_base(struct calls_round_row *w, const char *variant, const char *attach,
		     const char *trigger, const char *cell)
{
	w->kernel = kernel_release();
	w->variant = variant;
	w->attach = attach;
	w->trigger = trigger;
	w->cell = cell;
	w->status = "ok";
	w->timing = timing_kind();
}

/* One load row per variant: ok, or skipped (the baseline itself is refused:
 * the mode or trigger does not work here) or failed, in the kernel's words. */
static void load_rows(struct log *g, const struct calls_result *r, const char *attach,
		      const char *trigger)
{
	const struct variant *base = variant_of_kind(VK_BASELINE);
	const struct calls_variant_status *bs = base ? &r->variants[base - variants] : NULL;
	bool mode_refused = bs && bs->selected && !bs->ok;

	for (size_t v = 0; v < r->nvariants; v++) {
		const struct calls_variant_status *st = &r->variants[v];
		struct calls_round_row *w;
		char buf[CALLS_REASON_LEN * 2 + 64];

		if (!st->selected || !(w = log_add(g)))
			continue;
		row_base(w, variants[v].name, attach, trigger, "load");
		if (!st->ok) {
			w->status = mode_refused ? "skipped" : "failed";
			snprintf(buf, sizeof(buf), "%s: %s", st->stage, st->reason);
			w->reason = keep(g, buf);
		}
		if (st->fallback) {
			snprintf(buf, sizeof(buf), "measured with its alternate calls object "
				 "(BPF2BPF_CALLS_ALT): the first was refused: %s", st->note);
			w->notes = keep(g, buf);
		}
	}
}

static void cell_rows(struct log *g, const struct calls_opts *o, const struct calls_result *r,
		      const char *attach, const char *trigger)
{
	int64_t expected = o->trigger == CALLS_SYNTHETIC
				   ? (int64_t)o->runs_per_cell * o->batch
				   : 2 * (int64_t)o->connections;

	for (unsigned round = 0; round < r->rounds; round++)
		for (size_t v = 0; v < r->nvariants; v++)
			for (size_t k = 0; k < r->nk; k++) {
				size_t at = CALLS_AT(r, round, v, k);
				struct calls_round_row *w;

				if (!(r->runs[at] + r->over[at]) || !(w = log_add(g)))
					continue;
				row_base(w, variants[v].name, attach, trigger, "k");
				w->load = r->round_block[round];
				w->round = round;
				w->k = r->k_values[k];
				w->ns_per_trigger = r->ns[at];
				w->driver_ns = r->driver_ns[at];
				w->triggers = (int64_t)r->runs[at];
				w->left_out = (int64_t)r->over[at];
				w->chain_fails = (int64_t)r->fails[at];
				w->expected = expected;
			}
	if (o->trigger != CALLS_SYNTHETIC)
		return;
	for (unsigned round = 0; o->stats_cost && round < r->rounds; round++)
		for (int on = 0; on < 2; on++) {
			struct calls_round_row *w = log_add(g);

			if (!w)
				continue;
			row_base(w, "", attach, trigger, on ? "stats-on" : "stats-off");
			w->load = r->round_block[round];
			w->round = round;
			w->ns_per_trigger = on ? r->stats_on_ns[round] : r->stats_off_ns[round];
			w->programs = r->progs_per_trigger;
			if (!on && r->stats_were_on)
				w->notes = "stats were on: kernel.bpf_stats_enabled was 1 in this cell";
		}
	struct calls_round_row *w = log_add(g);
	if (w) {
		row_base(w, "", attach, trigger, "foreign");
		w->triggers = (int64_t)r->foreign;
	}
}

/* Keep the JIT image of every variant measured in DIR/dumps/calls-jit/
 * with what names it, and the rel32 targets for the kallsyms excerpt. */
static void keep_images(struct log *g, const char *dir, const struct calls_result *r,
			const char *attach, const char *trigger)
{
	char path[4200], extra[256];

	for (size_t v = 0; v < r->nvariants; v++)
		for (int j = 0; r->variants[v].ok && j < r->variants[v].njit; j++) {
			const struct jit_image *img = &r->variants[v].jit[j];
			size_t room;

			snprintf(path, sizeof(path), "%s/%s/%s-%s-%s-%s", dir, JIT_DIR, attach, trigger,
				 variants[v].name, img->prog);
			snprintf(extra, sizeof(extra), "variant %s\nattach %s\ntrigger %s\n",
				 variants[v].name, attach, trigger);
			if (jit_image_save(img, path, extra))
				fprintf(stderr, "calls: %s: %s\n", path, strerror(errno));
			room = img->len + 16;
			if (g->ntargets + room > g->captargets) {
				size_t cap = (g->captargets + room) * 2;
				uint64_t *t = realloc(g->targets, cap * sizeof(*t));

				if (!t)
					continue;
				g->targets = t;
				g->captargets = cap;
			}
			g->ntargets += jit_image_rel32_targets(img, g->targets + g->ntargets,
							       g->captargets - g->ntargets);
		}
}

/* The kernel symbols the kept images may call or jump to, in kallsyms's
 * format: what attribution needs of this kernel, on any machine. */
static void write_excerpt(const struct log *g, const char *dir)
{
	char path[4200];
	struct kallsyms k;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/kallsyms.txt", dir, JIT_DIR);
	if (kallsyms_read("/proc/kallsyms", &k)) {
		fprintf(stderr, "calls: /proc/kallsyms unreadable: kernel targets will be unnamed\n");
		return;
	}
	if ((f = fopen(path, "w"))) {
		kallsyms_write_excerpt(&k, g->targets, g->ntargets, f);
		fclose(f);
	}
	kallsyms_free(&k);
}

static int run_trigger(struct calls_cmd_opts *o, struct calls_opts *co, uint32_t netns,
		       const struct attach_mode *mode, struct log *g)
{
	const char *trigger = co->trigger == CALLS_SYNTHETIC ? CALLS_TRIGGER_SYNTHETIC
							      : CALLS_TRIGGER_STORM;
	/* sy_active is a tp_btf program */
	const char *attach = co->trigger == CALLS_SYNTHETIC ? "tp_btf" : mode->name;
	struct calls_result r;
	char err[512] = "";
	int rc;

	co->mode = mode;
	co->target_netns = netns;
	co->variant_sel = o->variants;
	co->stop = &stop;
	fprintf(stderr, "calls: %s trigger at %s: %u rounds in %u loads\n", trigger, attach,
		co->rounds, co->blocks);
	rc = calls_run(co, &r, err, sizeof(err));
	if (rc)
		fprintf(stderr, "calls: %s at %s: %s\n", trigger, attach, err);
	if (r.variants) {
		load_rows(g, &r, attach, trigger);
		cell_rows(g, co, &r, attach, trigger);
		keep_images(g, o->dir, &r, attach, trigger);
		fprintf(stderr, "calls: %s at %s: %u rounds in %.1f s\n", trigger, attach, r.rounds,
			r.seconds);
	}
	calls_result_free(&r);
	return rc;
}

static int write_results(const char *dir, const struct log *g, const char *status)
{
	char path[4200];
	int err;

	snprintf(path, sizeof(path), "%s/calls-rounds.csv", dir);
	if ((err = rf_write_file(&calls_rounds_csv, path, g->rows, g->n))) {
		fprintf(stderr, "calls: writing %s failed: %s\n", path, strerror(-err));
		return -1;
	}
	/* from the file just written, not g->rows: calls.csv is then by
	 * construction what `calls --summarize` gives */
	if (calls_summarize_dir(dir, status))
		return -1;
	return calls_attribute_dir(dir);
}

/* The whole measurement with options checked: 0, 1 failed, 130 interrupted. */
static int calls_measure(struct calls_cmd_opts *o)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct session_env env;
	struct log g = {0};
	char jit[4200];
	int rc = 0, lock_fd, err;

	snprintf(jit, sizeof(jit), "%s/%s", o->dir, JIT_DIR);
	if ((err = mkdir_p(jit))) {
		fprintf(stderr, "calls: cannot create %s: %s\n", jit, strerror(-err));
		return 1;
	}
	if ((lock_fd = bench_lock("calls")) < 0)
		return 1;
	/* before any thread: the storm and the socket capture filter on it */
	if (session_setup("calls", o->nmodes ? o->modes[0] : NULL, true, stderr, &env)) {
		close(lock_fd);
		return 1;
	}
	if (!o->nmodes || o->auto_mode) { /* the primary mode first, then the rest */
		o->modes[0] = env.mode;
		o->nmodes = 1;
		for (size_t i = 0; !o->auto_mode && i < nattach_modes && o->nmodes < MAX_MODES; i++)
			if (&attach_modes[i] != env.mode)
				o->modes[o->nmodes++] = &attach_modes[i];
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (o->synthetic)
		rc |= run_trigger(o, &o->synth, env.netns, env.mode, &g);
	for (size_t i = 0; o->storm && i < o->nmodes && !stop; i++)
		rc |= run_trigger(o, &o->hooks, env.netns, o->modes[i], &g);
	write_excerpt(&g, o->dir);
	close(lock_fd); /* nothing of ours is loaded any more */
	if (stop)
		fprintf(stderr, "calls: interrupted; results so far are marked incomplete\n");
	if (write_results(o->dir, &g, rc ? "failed" : stop ? "incomplete" : "ok"))
		rc = -1;
	log_free(&g);
	if (!rc && !stop)
		fprintf(stderr, "calls: wrote %s/calls.csv\n", o->dir);
	return rc ? 1 : stop ? 130 : 0;
}

/* The quick grid (--quick, the VM kernels): what loads, runs and counts, in
 * seconds, not a precise result. */
static void quick(struct calls_cmd_opts *o)
{
	o->synth.rounds = 12;
	o->synth.blocks = 3;
	o->synth.runs_per_cell = 2;
	o->hooks.rounds = 2;
	o->hooks.blocks = 1;
	o->hooks.connections = 200;
}

static void defaults(struct calls_cmd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->synthetic = o->storm = true;
	memset(o->variants, 1, sizeof(o->variants));
	calls_opts_defaults(&o->synth, CALLS_SYNTHETIC);
	calls_opts_defaults(&o->hooks, CALLS_STORM);
	/* the driver on the last CPU: the other one keeps the machine's noise */
	o->synth.cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench calls -o DIR [options]\n"
		"       bpf2bpf-bench calls --attribute DIR | --summarize DIR\n\n"
		"What one call of the handler costs per mechanism against inlining it: K calls\n"
		"per trigger timed inside the program, a line over K per round (slope: ns per\n"
		"call), interleaved rounds on fresh loads, 95%% intervals, Holm over the\n"
		"mechanisms; the JIT instructions behind it; what kernel.bpf_stats_enabled costs.\n"
		"Writes DIR/calls-rounds.csv, calls.csv, calls-bpf-stats.csv,\n"
		"calls-attribution.csv and the JIT images in DIR/" JIT_DIR "/.\n\n"
		"  -o, --out DIR         output directory (required; created)\n"
		"  --trigger LIST        synthetic,storm (default both)\n"
		"  --attach LIST         storm modes: all (default: every mode, refusals become\n"
		"                        skipped rows), auto (the first that works) or modes\n"
		"  --variant LIST        variants (default all)\n"
		"  --k LIST              K values, 0..%d, at least 2 (default 0,1,2,4,8,16,32)\n"
		"  --rounds N            synthetic rounds (default 240)\n"
		"  --loads N             synthetic loads the rounds are spread over (default 48)\n"
		"  --storm-rounds N      storm rounds per mode (default 8)\n"
		"  --storm-loads N       storm loads per mode (default 4)\n"
		"  --connections N       connections per storm (default 1200)\n"
		"  --quick               a few rounds: what loads, runs and counts\n"
		"  --attribute DIR       (again) count the JIT images kept in DIR into\n"
		"                        DIR/calls-attribution.csv (needs objdump: binutils)\n"
		"  --summarize DIR       only recompute DIR/calls.csv and calls-bpf-stats.csv\n"
		"                        from DIR/calls-rounds.csv (no kernel access)\n"
		"  -v, --verbose         libbpf's messages on stderr\n"
		"  -h, --help\n\n"
		"Run it alone on the machine (it takes the timing lock). Ctrl-C/SIGTERM: the\n"
		"current cell ends, nothing stays loaded, results so far are written with\n"
		"status=incomplete. Set BPF2BPF_TIMING=emulated under an emulator.\n",
		CALLS_MAX_K);
}

static int parse_modes(const char *s, struct calls_cmd_opts *o)
{
	char buf[256], *tok, *save = NULL;

	o->nmodes = 0;
	o->auto_mode = !strcmp(s, "auto");
	if (!strcmp(s, "all") || o->auto_mode)
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct attach_mode *m = attach_mode_find(tok);

		if (!m || o->nmodes == MAX_MODES) {
			fprintf(stderr, "calls: unknown attach mode '%s'; ", tok);
			attach_modes_print_valid(stderr);
			return -1;
		}
		o->modes[o->nmodes++] = m;
	}
	return 0;
}

static int count_opt(const char *s, const char *what, long max, unsigned *out)
{
	long v;

	if (parse_count("calls", s, what, max, &v))
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct calls_cmd_opts *o, const char **attribute,
		      const char **summarize)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'},	     {"trigger", required_argument, 0, 'T'},
		{"attach", required_argument, 0, 'a'},	     {"variant", required_argument, 0, 'V'},
		{"k", required_argument, 0, 'k'},	     {"rounds", required_argument, 0, 'r'},
		{"loads", required_argument, 0, 'l'},	     {"storm-rounds", required_argument, 0, 'R'},
		{"storm-loads", required_argument, 0, 'L'},  {"connections", required_argument, 0, 'n'},
		{"quick", no_argument, 0, 'q'},		     {"attribute", required_argument, 0, 'A'},
		{"summarize", required_argument, 0, 'S'},
		{"verbose", no_argument, 0, 'v'},	     {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	unsigned r = 0, l = 0, sr = 0, sl = 0, conns = 0;
	bool q = false;
	int c;

	defaults(o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case 'T':
			if (calls_parse_triggers(optarg, &o->synthetic, &o->storm))
				return 2;
			break;
		case 'a':
			if (parse_modes(optarg, o))
				return 2;
			break;
		case 'V':
			if (variant_select(optarg, o->variants))
				return 2;
			break;
		case 'k':
			if (calls_parse_ks(optarg, o->synth.k_values, &o->synth.nk))
				return 2;
			memcpy(o->hooks.k_values, o->synth.k_values, sizeof(o->hooks.k_values));
			o->hooks.nk = o->synth.nk;
			break;
		case 'r': if (count_opt(optarg, "--rounds", 10000, &r)) return 2; break;
		case 'l': if (count_opt(optarg, "--loads", 1000, &l)) return 2; break;
		case 'R': if (count_opt(optarg, "--storm-rounds", 1000, &sr)) return 2; break;
		case 'L': if (count_opt(optarg, "--storm-loads", 1000, &sl)) return 2; break;
		case 'n': if (count_opt(optarg, "--connections", 1000000, &conns)) return 2; break;
		case 'q': q = true; break;
		case 'A': *attribute = optarg; break;
		case 'S': *summarize = optarg; break;
		case 'v': loader_set_verbose(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "calls: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (*attribute || *summarize)
		return -1;
	if (!o->dir) {
		fprintf(stderr, "calls: -o DIR is required (where the CSVs go)\n");
		return 2;
	}
	if (q)
		quick(o);
	if (r)
		o->synth.rounds = r;
	if (l)
		o->synth.blocks = l;
	if (sr)
		o->hooks.rounds = sr;
	if (sl)
		o->hooks.blocks = sl;
	if (conns)
		o->hooks.connections = conns;
	if (o->synth.blocks > o->synth.rounds || o->hooks.blocks > o->hooks.rounds) {
		fprintf(stderr, "calls: more loads than rounds\n");
		return 2;
	}
	return -1;
}

int cmd_calls(int argc, char **argv)
{
	struct calls_cmd_opts o;
	const char *attribute = NULL, *summarize = NULL;
	int rc = parse_args(argc, argv, &o, &attribute, &summarize);

	if (rc >= 0)
		return rc;
	if (summarize)
		return calls_summarize_dir(summarize, NULL);
	if (attribute)
		return calls_attribute_dir(attribute) ? 1 : 0;
	return calls_measure(&o);
}

int calls_bench(const struct bench_ctx *ctx)
{
	struct calls_cmd_opts o;

	defaults(&o);
	o.dir = ctx->dir;
	if (ctx->quick)
		quick(&o);
	return calls_measure(&o);
}

/* bpf2bpf-bench bench (`make bench`, and the job of every VM kernel): one
 * run directory with run.env, env.txt, every method's files and report.md.
 *
 * The directory is built under results/.<name>.partial and renamed to
 * results/<name> when complete; an interrupted or failed run is kept as
 * <name>.incomplete with complete=0, so measured data is never lost and never
 * looks complete. Runs never overwrite each other, and a second bench while
 * one runs is refused. The driver decides the primary attach mode once and
 * every method measures at it; each method runs in a child process of its
 * own (a private network namespace, signals, libbpf state stay there). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/commands.h"
#include "kernel/session.h"
#include "kernel/sysinfo.h"
#include "cli/methods.h"
#include "report/report.h"

struct bench_opts {
	const char *results; /* parent of the run directory */
	const char *out;     /* or exactly this directory (the VM job) */
	bool quick, vm;
	bool selected[64]; /* over the method table */
};

struct run_state {
	char final[4300], partial[4096], methods[512], failed[512], finished[32];
	struct host_facts h;
	struct run_facts f;
	const char *dir; /* where files are written now */
};

static volatile sig_atomic_t stop_sig;
static volatile pid_t child;

static void on_signal(int sig)
{
	stop_sig = sig;
	if (child > 0)
		kill(child, sig);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench bench [options]\n\n"
		"Run the measurement methods into a new run directory and write its report:\n"
		"results/<UTC>-<host>-<kernel>/ with run.env, env.txt, each method's CSVs,\n"
		"verifier logs, dumps, report.md and charts/. The last line on stdout is the\n"
		"path of report.md (nothing when the run failed or was interrupted); progress\n"
		"goes to stderr.\n\n"
		"  --results DIR   parent of the run directory (default results)\n"
		"  -o, --out DIR   write into exactly DIR instead (must not exist or be empty;\n"
		"                  no rename: the VM job writes its /out this way)\n"
		"  --quick         the quick grid: fewer rounds and points (about a minute)\n"
		"  --vm            the VM matrix job: the methods marked for VM kernels, quick\n"
		"  --only LIST     only these methods (comma-separated)\n"
		"  --skip LIST     all but these methods\n"
		"  -h, --help\n\n"
		"Interrupted (SIGINT/SIGTERM), or failed (run.env or env.txt not written):\n"
		"the running method stops, nothing stays loaded, and the directory is kept\n"
		"as <name>.incomplete with complete=0.\n"
		"Set BPF2BPF_TIMING=emulated under an emulator: timings are then marked.\n\n"
		"methods:\n");
	for (size_t i = 0; i < all_methods.n; i++)
		if (all_methods.m[i].bench)
			fprintf(f, "  %-10s %s%s\n", all_methods.m[i].name, all_methods.m[i].summary,
				all_methods.m[i].flags & M_VM ? "" : " (not in --vm)");
}

static int select_methods(const char *list, bool want, bool *sel)
{
	char *copy = strdup(list ? list : ""), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok && copy; tok = strtok_r(NULL, ",", &save)) {
		const struct method *m = method_find(&all_methods, tok);

		if (!m || !m->bench) {
			fprintf(stderr, "bench: '%s' is not a method bench runs; valid:", tok);
			for (size_t i = 0; i < all_methods.n; i++)
				if (all_methods.m[i].bench)
					fprintf(stderr, " %s", all_methods.m[i].name);
			fprintf(stderr, "\n");
			rc = -1;
			break;
		}
		sel[m - all_methods.m] = want;
	}
	free(copy);
	return rc;
}

static int parse_args(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{"results", required_argument, 0, 'r'}, {"out", required_argument, 0, 'o'},
		{"quick", no_argument, 0, 'q'},		{"vm", no_argument, 0, 'V'},
		{"only", required_argument, 0, 'O'},	{"skip", required_argument, 0, 'S'},
		{"help", no_argument, 0, 'h'},		{0, 0, 0, 0},
	};
	const char *only = NULL, *skip = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	o->results = "results";
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->results = optarg; break;
		case 'o': o->out = optarg; break;
		case 'q': o->quick = true; break;
		case 'V': o->vm = o->quick = true; break;
		case 'O': only = optarg; break;
		case 'S': skip = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench: unexpected argument '%s' (see --help)\n", argv[optind]);
		return 2;
	}
	for (size_t i = 0; i < all_methods.n; i++)
		o->selected[i] = all_methods.m[i].bench && (all_methods.m[i].flags & (o->vm ? M_VM : M_BENCH));
	if (only) {
		memset(o->selected, 0, sizeof(o->selected));
		if (select_methods(only, true, o->selected))
			return 2;
	}
	if (skip && select_methods(skip, false, o->selected))
		return 2;
	return -1;
}

/* results/.lock: one bench at a time per results directory. */
static int lock_results(const char *results)
{
	char path[4096];
	int fd, err;

	if ((err = mkdir_p(results))) {
		fprintf(stderr, "bench: cannot create %s: %s\n", results, strerror(-err));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/.lock", results);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "bench: another bench is running (%s is held); wait for it to "
				"finish\n", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/* The run directory: results/.<name>.partial (renamed at the end), or -o DIR. */
static int make_dir(const struct bench_opts *o, struct run_state *s)
{
	char stamp[32], host[64];
	time_t now = time(NULL);
	struct tm tm;

	if (o->out) {
		int err = mkdir_p(o->out);

		if (err || rmdir(o->out) || mkdir(o->out, 0755)) { /* must be empty */
			fprintf(stderr, "bench: %s must be a new or empty directory: %s\n", o->out,
				strerror(err ? -err : errno));
			return -1;
		}
		snprintf(s->final, sizeof(s->final), "%s", o->out);
		s->dir = s->final;
		return 0;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(host, sizeof(host), "%s", s->f.host ? s->f.host : "host");
	for (char *p = host; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p))
			*p = '_';
	snprintf(s->final, sizeof(s->final), "%s/%s-%s-%s", o->results, stamp, host, s->f.kernel);
	snprintf(s->partial, sizeof(s->partial), "%s/.%s-%s-%s.partial", o->results, stamp, host,
		 s->f.kernel);
	char inc[4400];
	snprintf(inc, sizeof(inc), "%.4300s.incomplete", s->final);
	if (exists(s->final) || exists(inc) || exists(s->partial)) {
		fprintf(stderr, "bench: %s exists; not overwriting a run\n", s->final);
		return -1;
	}
	if (mkdir(s->partial, 0755)) {
		fprintf(stderr, "bench: cannot create %s: %s\n", s->partial, strerror(errno));
		return -1;
	}
	s->dir = s->partial;
	return 0;
}

/* run.env from s->f. When the write fails, s->f.complete goes back to "0":
 * no run.env saying complete=1 was written, so nothing (the closing message
 * included) may say the run is complete. */
static int write_env(struct run_state *s)
{
	char path[4200];
	int err;

	snprintf(path, sizeof(path), "%s/run.env", s->dir);
	if ((err = run_env_write(path, &s->f))) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(-err));
		s->f.complete = "0";
		return -1;
	}
	return 0;
}

static void list_add(char *list, size_t len, const char *name)
{
	snprintf(list + strlen(list), len - strlen(list), "%s%s", *list ? "," : "", name);
}

/* One method in a child process; its exit status. */
static int run_method(const struct method *m, const struct bench_ctx *ctx)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		_exit(m->bench(ctx) & 0xff);
	}
	child = pid;
	if (stop_sig) /* a signal that came before child was known */
		kill(pid, stop_sig);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	child = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void mark_finished(struct run_state *s, bool complete)
{
	sysinfo_utc(s->finished, sizeof(s->finished));
	s->f.finished_utc = s->finished;
	s->f.complete = complete ? "1" : "0";
}

/* Close the run: run.env final, and the directory's final name. A run.env
 * that cannot be written still gets the .incomplete name, so the directory
 * never keeps a complete=1 that run_all wrote before a later step failed. */
static int finish(const struct bench_opts *o, struct run_state *s, bool complete)
{
	char dest[4400];
	int rc = 0;

	if (!complete || !s->f.finished_utc) {
		mark_finished(s, complete);
		if (write_env(s)) {
			if (complete)
				return -1; /* stays .partial: not complete, nor marked so */
			rc = -1;
		}
	}
	if (o->out)
		return rc;
	snprintf(dest, sizeof(dest), "%.4200s%s", s->final, complete ? "" : ".incomplete");
	if (rename(s->partial, dest)) {
		fprintf(stderr, "bench: cannot rename %s to %s: %s\n", s->partial, dest,
			strerror(errno));
		return -1;
	}
	snprintf(s->final, sizeof(s->final), "%.4200s", dest);
	s->dir = s->final;
	return rc;
}

static int run_all(const struct bench_opts *o, struct run_state *s, struct bench_ctx *ctx)
{
	size_t total = 0, step = 0;

	for (size_t i = 0; i < all_methods.n; i++)
		total += o->selected[i];
	for (size_t i = 0; i < all_methods.n && !stop_sig; i++) {
		const struct method *m = &all_methods.m[i];
		uint64_t t0 = now_ns();
		int rc;

		if (!o->selected[i])
			continue;
		fprintf(stderr, "[%zu/%zu] %s: %s\n", ++step, total + 1, m->name, m->summary);
		list_add(s->methods, sizeof(s->methods), m->name);
		rc = run_method(m, ctx);
		if (rc && !stop_sig) {
			fprintf(stderr, "bench: %s failed (exit %d); going on\n", m->name, rc);
			list_add(s->failed, sizeof(s->failed), m->name);
		}
		fprintf(stderr, "[%zu/%zu] %s: %s in %.0f s\n", step, total + 1, m->name,
			rc ? "failed" : "done", (double)(now_ns() - t0) / 1e9);
		if (write_env(s))
			return -1;
	}
	if (stop_sig)
		return 1;
	/* Complete before the report, which says so when a run is not. */
	mark_finished(s, true);
	if (write_env(s))
		return -1;
	fprintf(stderr, "[%zu/%zu] report: report.md and charts/\n", total + 1, total + 1);
	if (report_dir(s->dir, &all_methods, true)) {
		list_add(s->failed, sizeof(s->failed), "report");
		return write_env(s) ? -1 : 0;
	}
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct bench_opts o;
	struct run_state s;
	struct session_env env;
	struct bench_ctx ctx;
	int rc, lock_fd = -1;

	if ((rc = parse_args(argc, argv, &o)) >= 0)
		return rc;
	memset(&s, 0, sizeof(s));
	sysinfo_collect(&s.h, &s.f);
	s.f.timing = timing_kind();
	s.f.grid = o.quick ? "quick" : "full";
	s.f.methods = s.methods;
	s.f.failed_steps = s.failed;
	s.f.complete = "0";
	if (!o.out && (lock_fd = lock_results(o.results)) < 0)
		return 1;
	/* The primary attach mode, decided once: every method measures at it. */
	if (session_setup("bench", NULL, false, stderr, &env) || make_dir(&o, &s)) {
		if (lock_fd >= 0)
			close(lock_fd);
		return 1;
	}
	s.f.attach = env.mode->name;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char env_txt[4200];
	snprintf(env_txt, sizeof(env_txt), "%s/env.txt", s.dir);
	if (write_env(&s) || sysinfo_write_env_txt(env_txt, &s.f)) {
		rc = -1;
	} else {
		ctx = (struct bench_ctx){.dir = s.dir, .mode = env.mode, .quick = o.quick,
					 .timing = s.f.timing};
		fprintf(stderr, "bench: %s, attach %s, %s grid, into %s\n", s.f.kernel, env.mode->name,
			s.f.grid, s.dir);
		rc = run_all(&o, &s, &ctx);
	}
	if (stop_sig)
		fprintf(stderr, "bench: interrupted (signal %d): stopping\n", (int)stop_sig);
	/* A run that failed (run.env or env.txt not written) is never complete. */
	if (finish(&o, &s, !stop_sig && rc == 0))
		rc = -1;
	if (lock_fd >= 0)
		close(lock_fd);
	/* No report path on stdout: the run is not one to read as complete.
	 * s.dir: where it really is (still .partial when the rename failed). */
	if (stop_sig || rc) {
		if (!stop_sig)
			fprintf(stderr, "bench: the run failed (see above)\n");
		fprintf(stderr, "bench: what was measured is in %s (complete=%s); `bpf2bpf-bench "
				"report %s` reports on it\n", s.dir, s.f.complete, s.dir);
		return stop_sig ? 128 + stop_sig : 1;
	}
	if (*s.failed)
		fprintf(stderr, "bench: warning: steps failed: %s\n", s.failed);
	printf("%s/report.md\n", s.final);
	return *s.failed ? 1 : 0;
}

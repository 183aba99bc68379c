/* iperf_stream's reason for a failed stream, against a stand-in iperf3 on
 * PATH (a shell script: no network, no root). The server is one-off
 * (iperf3 -s -1): once a client reached it and failed, every later attempt
 * is refused, so the refusals must not replace the first real failure. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "methods/iperf_proc.h"

static char dir[64];

/* The stand-in: "-s" exits at once; "-c" answers attempt N (counted in
 * DIR/count from 0) with line N+1 of DIR/answers, the last line again after
 * the end, and exits with the status on that line before the JSON. */
static const char script[] =
	"#!/bin/sh\n"
	"[ \"$1\" = -s ] && exit 0\n"
	"n=$(cat \"$FAKE_IPERF/count\" 2>/dev/null || echo 0)\n"
	"echo $((n + 1)) >\"$FAKE_IPERF/count\"\n"
	"line=$(sed -n \"$((n + 1))p\" \"$FAKE_IPERF/answers\")\n"
	"[ -n \"$line\" ] || line=$(tail -n 1 \"$FAKE_IPERF/answers\")\n"
	"echo \"${line#* }\"\n"
	"exit \"${line%% *}\"\n";

#define REFUSED "1 {\"error\": \"unable to connect to server: Connection refused\"}"

static void put_file(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static int setup(void **state)
{
	char path[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/bpf2bpf-iperf.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	put_file("iperf3", script, 0755);
	snprintf(path, sizeof(path), "%s:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	setenv("FAKE_IPERF", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* One stream against the answers (one per line); its reason in err. */
static double stream(const char *answers, char *err, size_t errlen)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/count", dir);
	remove(path);
	put_file("answers", answers, 0644);
	return iperf_stream(dir, 5201, err, errlen);
}

static void test_first_real_failure_is_the_reason(void **state)
{
	char err[256] = "";

	(void)state;
	/* not listening yet, then the real failure, then the server is gone */
	assert_true(isnan(stream(REFUSED "\n1 {\"error\": \"the server has terminated\"}\n" REFUSED "\n",
				 err, sizeof(err))));
	assert_string_equal(err, "iperf3: the server has terminated");
}

static void test_a_failure_without_json_says_the_exit(void **state)
{
	char err[256] = "";

	(void)state;
	assert_true(isnan(stream("3 not json\n" REFUSED "\n", err, sizeof(err))));
	assert_string_equal(err, "iperf3 client failed (exit 3)");
}

static void test_only_refusals(void **state)
{
	char err[256] = "";

	(void)state;
	assert_true(isnan(stream(REFUSED "\n", err, sizeof(err))));
	assert_non_null(strstr(err, "Connection refused"));
}

static void test_a_result_clears_the_refusals(void **state)
{
	char err[256] = "x";

	(void)state;
	assert_near(stream(REFUSED "\n0 {\"end\": {\"sum_received\": {\"bits_per_second\": 2.5e9}}}\n",
			   err, sizeof(err)),
		    2.5, 1e-12);
	assert_string_equal(err, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_real_failure_is_the_reason),
		cmocka_unit_test(test_a_failure_without_json_says_the_exit),
		cmocka_unit_test(test_only_refusals),
		cmocka_unit_test(test_a_result_clears_the_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

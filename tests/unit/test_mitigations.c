/* The mitigation state run.env records (kernel/sysinfo.c): a copy of the
 * dev machine's vulnerabilities directory and kernel command lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "kernel/sysinfo.h"

static void test_vulnerabilities_directory(void **state)
{
	char dir[1024], sum[4096];

	(void)state;
	fixture_path(dir, sizeof(dir), "mitigations/vulnerabilities");
	sysinfo_vulnerabilities_in(dir, sum, sizeof(sum));
	assert_non_null(strstr(sum, "spec_rstack_overflow: Vulnerable: Safe RET, no microcode"));
	/* whole: "...; PBRSB-eIBRS: Not affected; BHI: Not affected" is its end */
	assert_non_null(strstr(sum, "spectre_v2: Mitigation: Retpolines; STIBP: disabled; RSB filling; "
				    "PBRSB-eIBRS: Not affected; BHI: Not affected"));
	assert_null(strstr(sum, "retbleed")); /* "Not affected" entries left out */
	/* sorted by name: spec_rstack_overflow before spectre_v1 before spectre_v2 */
	assert_true(strstr(sum, "spec_rstack_overflow") < strstr(sum, "spectre_v1"));
	assert_true(strstr(sum, "spectre_v1") < strstr(sum, "spectre_v2"));
	sysinfo_vulnerabilities_in("/nonexistent/vulnerabilities", sum, sizeof(sum));
	assert_string_equal(sum, "unknown (/nonexistent/vulnerabilities absent)");
}

static void test_cmdline_fixture(void **state)
{
	char path[1024], v[128], *line;

	(void)state;
	fixture_path(path, sizeof(path), "mitigations/cmdline");
	line = slurp(path);
	assert_non_null(line);
	assert_int_equal(sysinfo_cmdline_mitigations(line, v, sizeof(v)), 1);
	assert_string_equal(v, "auto,no_guest_host,no_guest_guest");
	free(line);
}

static void test_cmdline_value(void **state)
{
	char v[64];

	(void)state;
	assert_int_equal(sysinfo_cmdline_mitigations("quiet mitigations=auto,nosmt ro", v, sizeof(v)),
			 1);
	assert_string_equal(v, "auto,nosmt");
	assert_int_equal(sysinfo_cmdline_mitigations("mitigations=off", v, sizeof(v)), 1);
	assert_string_equal(v, "off");
	/* the kernel takes the last one */
	assert_int_equal(
		sysinfo_cmdline_mitigations("mitigations=off mitigations=auto", v, sizeof(v)), 1);
	assert_string_equal(v, "auto");
	/* other knobs and init's arguments are not it */
	assert_int_equal(sysinfo_cmdline_mitigations("nomitigations=1 quiet", v, sizeof(v)), 0);
	assert_string_equal(v, "");
	assert_int_equal(sysinfo_cmdline_mitigations("ro -- mitigations=off", v, sizeof(v)), 0);
	assert_int_equal(sysinfo_cmdline_mitigations("", v, sizeof(v)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vulnerabilities_directory),
		cmocka_unit_test(test_cmdline_fixture),
		cmocka_unit_test(test_cmdline_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#!/usr/bin/env bash
# Runs the cmocka unit test binaries given as arguments, shows their output,
# names each failed test in a line "FAIL - BINARY: TEST", and ends with one
# line "N passed, N failed" (test cases, summed over the binaries). Exits
# non-zero when a test failed or a binary crashed or did not report (a crash
# counts its tests that did not print OK, at least one, as failed).
set -u

passed=0
failed=0

# The number in the first "[  TAG  ] N test(s)" of $2 (0 when none). grep -o:
# cmocka writes to stdout and stderr, so tags may share a line.
count() {
	grep -o "\[  $1 *\] [0-9]* test(s)" <<<"$2" | head -n1 | grep -o '[0-9][0-9]*' | head -n1 || true
}

for bin in "$@"; do
	echo "== $bin"
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(count PASSED "$out")
	f=$(count FAILED "$out")
	s=$(count SKIPPED "$out")
	ran=$(grep -o 'Running [0-9]* test(s)' <<<"$out" | grep -o '[0-9][0-9]*' | head -n1 || true)
	p=${p:-0} f=${f:-0} s=${s:-0} ran=${ran:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed (no summary), or a group setup failed: the tests that
		# printed OK passed, the rest of those announced failed.
		p=$(grep -o '\[       OK \]' <<<"$out" | wc -l)
		f=$((ran - p - s))
		[ "$f" -lt 1 ] && f=1
		echo "FAIL - $bin: exit status $rc without a failure report: counting $f failed"
	fi
	# One "FAIL - BINARY: TEST" per failed test, for run-all's closing list.
	grep -o '^\[  FAILED  \] [A-Za-z_][A-Za-z0-9_]*$' <<<"$out" | awk -v b="$bin" '!seen[$0]++ { print "FAIL - " b ": " $NF }'
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

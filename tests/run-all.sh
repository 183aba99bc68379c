#!/usr/bin/env bash
# `make test`: unit tests (cmocka, ASan/UBSan), integration tests on this
# kernel (root), and the VM run on a Debian kernel. Each suite ends with
# "N passed, N failed[, N skipped]" and prints "FAIL - ..." per failed check;
# this sums the counts, and its last lines name every failed check (suite:
# its FAIL line), then the total.
#
# Usage: tests/run-all.sh [SCRIPT...]
#   no argument: the unit suite and every tests/integration/test_*.sh;
#   SCRIPTs: only those, each run with bash as a suite, nothing built.
# One stream, in order, on stdout (stderr joins it). Suites are copied with
# tee to stdout, never to /dev/stderr: reopening that path truncates the file
# stderr points to, so `make test > log 2>&1` kept only the last suite.
set -u
scripts=()
for t in "$@"; do scripts+=("$(realpath -m -- "$t")"); done # before the cd
cd "$(dirname "$0")/.." || exit 1
exec 2>&1
passed=0 failed=0 skipped=0
suites_failed=()
failed_checks=()
suite_out=$(mktemp /tmp/bpf2bpf-suite.XXXXXX) || exit 1
trap 'rm -f "$suite_out"' EXIT

# run_suite NAME COMMAND...: run, show output, add its closing counts and
# its FAIL lines.
run_suite() {
	local name=$1 rc line p f s named
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$suite_out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$suite_out" | tail -n1)
	p=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$line")
	f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
	s=$(sed -n 's/.*failed, \([0-9]*\) skipped.*/\1/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
	named=$(grep '^FAIL - ' "$suite_out" | sed "s/^/$name: /")
	[ -n "$named" ] && mapfile -t -O "${#failed_checks[@]}" failed_checks <<<"$named"
	if [ "$rc" -ne 0 ] || [ -z "$line" ] || [ "${f:-0}" -gt 0 ]; then
		suites_failed+=("$name")
		if [ "${f:-0}" -eq 0 ]; then # a suite that died counts
			failed=$((failed + 1))
			failed_checks+=("$name: exit status $rc, ${line:-no 'N passed, N failed' line}; last line: $(tail -n1 "$suite_out")")
		elif [ -z "$named" ]; then
			failed_checks+=("$name: $line, with no FAIL line naming them")
		fi
	fi
}

if [ ${#scripts[@]} -gt 0 ]; then
	for t in "${scripts[@]}"; do
		run_suite "$(basename "$t" .sh)" bash "$t"
	done
else
	run_suite unit make -s unit
	if [ "$(id -u)" -ne 0 ]; then
		echo "integration tests need root (BPF); skipped"
		skipped=$((skipped + 1))
	elif ! make -s build/asan/bpf2bpf-bench build/bpf2bpf-bench static; then
		# The static binary is what the VM test boots with.
		suites_failed+=(build)
		failed=$((failed + 1))
		failed_checks+=("build: make of the test binaries failed (its errors are above)")
	else
		for t in tests/integration/test_*.sh; do
			run_suite "$(basename "$t" .sh)" bash "$t"
		done
	fi
fi

echo
if [ ${#failed_checks[@]} -gt 0 ]; then
	echo "failed checks:"
	printf '  %s\n' "${failed_checks[@]}"
fi
[ ${#suites_failed[@]} -eq 0 ] || echo "suites with failures: ${suites_failed[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#suites_failed[@]} -eq 0 ]

#!/usr/bin/env bash
# `make test`: unit tests (cmocka, ASan/UBSan), integration tests on this
# kernel (root), and the VM run on a Debian kernel. Each suite ends with
# "N passed, N failed[, N skipped]"; this sums them into the last line.
set -u
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0 skipped=0
suites_failed=()

# run_suite NAME COMMAND...: run, show output, add its closing counts.
run_suite() {
	local name=$1 out rc line p f s
	shift
	echo "=== $name"
	out=$("$@" 2>&1 | tee /dev/stderr)
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n1)
	p=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$line")
	f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
	s=$(sed -n 's/.*failed, \([0-9]*\) skipped.*/\1/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
		suites_failed+=("$name")
		[ "${f:-0}" -eq 0 ] && failed=$((failed + 1)) # a suite that died counts
	fi
}

run_suite unit make -s unit
if [ "$(id -u)" -ne 0 ]; then
	echo "integration tests need root (BPF); skipped"
	skipped=$((skipped + 1))
else
	# The static binary is what the VM test boots with.
	make -s build/asan/bpf2bpf-bench build/bpf2bpf-bench static || exit 1
	for t in tests/integration/test_*.sh; do
		run_suite "$(basename "$t" .sh)" bash "$t"
	done
fi

echo
[ ${#suites_failed[@]} -eq 0 ] || echo "suites with failures: ${suites_failed[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#suites_failed[@]} -eq 0 ]

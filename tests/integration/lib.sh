# Shared by the integration tests: counters, checks, cleanup and the closing
# "N passed, N failed" line. Source it; call `finish` last.
set -u
BIN=${BIN:-build/asan/bpf2bpf-bench}
PASSED=0
FAILED=0
SKIPPED=0
TMP=$(mktemp -d /tmp/bpf2bpf-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# libbpf keeps a few allocations for the process lifetime; leaks are checked
# by the unit tests, memory errors and UB here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass() { PASSED=$((PASSED + 1)); echo "ok   - $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}
# Equal numbers (or strings), with both in the message when they differ.
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: '$2' != '$3'"; fi
}
finish() {
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ]
	exit
}
# Programs of ours (names from bpf/hooks.bpf.h) that no live process holds.
# We never pin, so a program of ours that outlives its process with no holder
# is left attached in the kernel: a leak. Programs that another live process
# holds (a concurrent run on a shared machine) are not ours to judge. Holders
# are found in /proc/*/fdinfo (prog and link fds show "prog_id:"): Debian's
# bpftool cannot list them.
held_prog_ids() {
	cat /proc/[0-9]*/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' | sort -u
}
our_progs() {
	local held
	held=" $(held_prog_ids | tr '\n' ' ') "
	bpftool prog show 2>/dev/null |
		sed -n 's/^\([0-9]*\): .* name \(\(fe\|kp\|tpb\|tp\)_[a-z_]*\) .*/\1 \2/p' |
		while read -r id name; do
			[[ $held == *" $id "* ]] || echo "$id:$name"
		done
}
# Any program of ours loaded, held or not.
any_of_ours() {
	bpftool prog show 2>/dev/null | grep -qE ' name (fe|kp|tpb|tp)_(active|passive)'
}
our_links() {
	local ours
	ours=" $(bpftool prog show 2>/dev/null | sed -n 's/^\([0-9]*\): .* name \(fe\|kp\|tpb\|tp\)_.*/\1/p' | tr '\n' ' ') "
	bpftool link show 2>/dev/null | sed -n 's/^\([0-9]*\): .* prog \([0-9]*\).*/\1 \2/p' |
		while read -r lid pid; do
			[[ $ours == *" $pid "* ]] && ! held_prog_ids | grep -qx "$pid" && echo "link $lid"
		done
}
# Value of column NAME in a CSV row (header in $1, row in $2), no quoting.
col() {
	local header=$1 row=$2 name=$3 i=1
	for h in ${header//,/ }; do
		[ "$h" = "$name" ] && { cut -d, -f"$i" <<<"$row"; return; }
		i=$((i + 1))
	done
	echo "no-column-$name"
}

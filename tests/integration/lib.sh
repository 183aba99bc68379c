# Shared by the integration tests: counters, checks, cleanup and the closing
# "N passed, N failed" line. Source it; call `finish` last.
set -u
BIN=${BIN:-build/asan/bpf2bpf-bench}
PASSED=0
FAILED=0
SKIPPED=0
TMP=$(mktemp -d /tmp/bpf2bpf-test.XXXXXX)
# How long a check waits for what this machine decides the timing of: a
# process loading and attaching (slow under ASan on a loaded 2-core machine),
# the kernel freeing what an exited process held (after an RCU grace period).
WAIT_SLOW=${WAIT_SLOW:-120}
LEAK_WAIT=${LEAK_WAIT:-5}
# However the test exits (finish, a failed command, SIGINT, SIGTERM): its
# background processes still running get SIGTERM (jobs -p lists only our own
# children not yet waited for, so no pid is reused), then each at_exit
# COMMAND is eval'd, newest first, then $TMP goes.
EXIT_HOOKS=()
at_exit() { EXIT_HOOKS=("$1" "${EXIT_HOOKS[@]}"); }
run_exit_hooks() {
	local hook running
	running=$(jobs -p)
	if [ -n "$running" ]; then
		kill $running 2>/dev/null
		wait $running 2>/dev/null
	fi
	for hook in "${EXIT_HOOKS[@]}"; do eval "$hook"; done
	rm -rf "$TMP"
}
trap run_exit_hooks EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
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
# now_ms: wall-clock milliseconds (bash 5's EPOCHREALTIME: no fork).
now_ms() {
	local us=${EPOCHREALTIME//[^0-9]/}
	echo $((us / 1000))
}
# seconds_since MS: seconds from now_ms's MS until now, one decimal.
seconds_since() {
	local ms=$(($(now_ms) - $1))
	echo "$((ms / 1000)).$((ms % 1000 / 100))"
}
# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds (0)
# or SECONDS of wall-clock time have passed (1).
wait_for() {
	local end=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
# await_line PID FILE PATTERN WHAT: wait (up to WAIT_SLOW s) until process
# PID writes a line matching PATTERN (grep basic regex) into FILE. A check:
# passes as "WHAT", or fails saying what it waited for, whether the process
# was still running, and FILE's last line. Returns that check's status.
await_line() {
	local pid=$1 file=$2 pattern=$3 what=$4 start
	start=$(now_ms)
	line_or_exit() { grep -q -- "$pattern" "$file" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; }
	wait_for "$WAIT_SLOW" line_or_exit
	if grep -q -- "$pattern" "$file" 2>/dev/null; then
		pass "$what (after $(seconds_since "$start") s)"
		return 0
	fi
	if kill -0 "$pid" 2>/dev/null; then
		fail "$what: waited $WAIT_SLOW s for '$pattern' in $file; last line: '$(tail -n1 "$file" 2>/dev/null)'"
	else
		fail "$what: the process exited before writing '$pattern' to $file; last line: '$(tail -n1 "$file" 2>/dev/null)'"
	fi
	return 1
}

# Programs of ours (names from bpf/hooks.bpf.h) that no live process holds.
# We never pin, so a program of ours that outlives its process with no holder
# is left loaded or attached in the kernel: a leak. Programs that another live
# process holds (a concurrent run on a shared machine) are not ours to judge.
# Holders are found in /proc/*/fdinfo (prog and link fds show "prog_id:"):
# Debian's bpftool cannot list them. The kernel is listed before the holders
# are read, so a program loaded meanwhile is not mistaken for an orphan.
held_prog_ids() {
	cat /proc/[0-9]*/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }' | sort -u
}
# "ID NAME" of every program of ours loaded now, held or not. Digits too:
# the sweep's programs are tpb_calls_64, tp_progs_3, ... (bpf/sweep.bpf.h);
# sy_: the calls method's synthetic trigger (bpf/calls.bpf.h).
ours_loaded() {
	bpftool prog show 2>/dev/null |
		sed -n 's/^\([0-9]*\): .* name \(\(fe\|kp\|tpb\|tp\|sy\)_[a-z0-9_]*\) .*/\1 \2/p'
}
# One line "prog ID NAME" per program of ours that no live process holds.
our_progs() {
	local loaded held id name
	loaded=$(ours_loaded)
	held=" $(held_prog_ids | tr '\n' ' ') "
	while read -r id name; do
		[ -n "$id" ] && [[ $held != *" $id "* ]] && echo "prog $id $name"
	done <<<"$loaded"
}
# One line "link ID -> prog ID NAME" per link to a program of ours that no
# live process holds.
our_links() {
	local loaded links held lid pid
	loaded=$(ours_loaded)
	links=$(bpftool link show 2>/dev/null | sed -n 's/^\([0-9]*\): .* prog \([0-9]*\).*/\1 \2/p')
	held=" $(held_prog_ids | tr '\n' ' ') "
	while read -r lid pid; do
		[ -n "$lid" ] && [[ $held != *" $pid "* ]] &&
			awk -v l="$lid" -v p="$pid" '$1 == p { print "link " l " -> prog " p " " $2 }' <<<"$loaded"
	done <<<"$links"
}
# Sets LEFT to what our_progs and our_links list; true when that is nothing.
nothing_left() {
	LEFT=$(our_progs; our_links)
	[ -z "$LEFT" ]
}
# check_nothing_left DESC: the leak check. The kernel frees a program after
# an RCU grace period, asynchronously, so one is still listed for a moment
# after its last holder exited: poll up to LEAK_WAIT s, then fail naming
# what remains (id and name).
check_nothing_left() {
	local start
	start=$(now_ms)
	if wait_for "$LEAK_WAIT" nothing_left; then
		pass "$1 (after $(seconds_since "$start") s)"
	else
		fail "$1: still there after $LEAK_WAIT s: $(tr '\n' ';' <<<"$LEFT" | sed 's/;$//; s/;/; /g')"
	fi
}
# CSV to tab-separated, quotes resolved (mawk has no FPAT). Fields hold no
# tabs or newlines in these files. (From test_vm.sh; test_sweep uses it too.)
csv2tsv() {
	awk '{
		out = ""; f = ""; q = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (q) {
				if (c == "\"" && substr($0, i + 1, 1) == "\"") { f = f c; i++ }
				else if (c == "\"") q = 0
				else f = f c
			} else if (c == "\"") q = 1
			else if (c == ",") { out = out f "\t"; f = "" }
			else f = f c
		}
		print out f
	}' "$1"
}

# field TSV COLUMN [FILTER_COL VALUE]...: the column of every matching row.
field() {
	local tsv=$1 col=$2
	shift 2
	awk -F'\t' -v want="$col" -v filt="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; n = split(filt, fv, " "); next }
		{
			for (j = 1; j + 1 <= n; j += 2) if ($(idx[fv[j]]) != fv[j + 1]) next
			print (want in idx) ? $(idx[want]) : "no-column-" want
		}' "$tsv"
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

#!/usr/bin/env bash
# trace prints the demo's lines for connections we make; nothing stays loaded
# or attached after trace/overhead end normally, on SIGINT or on SIGTERM.
# Every wait is on a condition (a line written, a count reached), bounded by
# WAIT_SLOW seconds: loading under ASan on a busy machine takes its time.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# holds_ours PID: process PID holds (by prog or link fd) a program of ours.
holds_ours() {
	local id
	for id in $(cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '$1 == "prog_id:" { print $2 }'); do
		ours_loaded | grep -q "^$id " && return 0
	done
	return 1
}
# Complete pairs in trace output $1: each connection is seen from both ends,
# a:p -> b:q and its twin b:q -> a:p (other traffic on a shared machine may
# add lines, and a connection cut by trace's start or stop may show only one
# end, so only complete pairs count).
pairs() {
	awk '/new tcp connection: / { seen[$5 " " $7] = 1 }
	END { n = 0; for (k in seen) { split(k, a, " "); if ((a[2] " " a[1]) in seen) n++ } print int(n / 2) }' "$1"
}
five_pairs() { [ "$(pairs "$TMP/trace.out")" -ge 5 ]; }

# --- the reference demo ---
"$BIN" trace >"$TMP/trace.out" 2>"$TMP/trace.err" &
pid=$!
if await_line "$pid" "$TMP/trace.err" 'Ctrl-C to stop' "trace attached"; then
	"$BIN" hammer --connections 5 --threads 1 --quiet >"$TMP/hammer.out" 2>&1
	check "hammer made 5 connections" grep -q '^connections=5 ' "$TMP/hammer.out"
	# trace flushes each line; its consumer polls every 100 ms.
	wait_for "$WAIT_SLOW" five_pairs
fi
kill -INT "$pid" 2>/dev/null
wait "$pid"
check_eq "the demo trace exits 0 on SIGINT" "$?" 0
lines=$(grep -cE '^[0-9:.]+ new tcp connection: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+$' "$TMP/trace.out")
check "trace printed at least 10 demo lines (5 connections x 2 opens): $lines" test "$lines" -ge 10
check "at least 5 connections seen from both ends: $(pairs "$TMP/trace.out")" five_pairs
check_nothing_left "nothing left loaded after trace"

timeout "$WAIT_SLOW" "$BIN" trace --duration 1 >/dev/null 2>"$TMP/d.err"
rc=$?
[ "$rc" -eq 124 ] && rc="124 (timeout: still running after $WAIT_SLOW s)"
check_eq "trace --duration 1 exits 0 by itself" "$rc" 0
check_nothing_left "nothing left loaded after trace --duration"

# --- signals: trace and overhead detach everything ---
for sig in INT TERM; do
	"$BIN" trace >/dev/null 2>"$TMP/t.err" &
	pid=$!
	await_line "$pid" "$TMP/t.err" 'Ctrl-C to stop' "trace says it is attached before SIG$sig"
	check "trace holds programs of ours before SIG$sig" holds_ours "$pid"
	kill -"$sig" "$pid"
	wait "$pid"
	check_eq "trace exits 0 on SIG$sig" "$?" 0
	check_nothing_left "nothing left loaded or attached after trace SIG$sig"
done

"$BIN" overhead -o "$TMP/oh" --rounds 50 --output none >/dev/null 2>"$TMP/oh.err" &
pid=$!
# Not a terminal: overhead writes one line per finished round.
await_line "$pid" "$TMP/oh.err" 'round 1/50 done' "overhead finished round 1 before SIGTERM"
kill -TERM "$pid"
wait "$pid"
check_eq "overhead exits 130 when interrupted" "$?" 130
check "interrupted overhead keeps partial results marked incomplete" \
	grep -q ',incomplete,' "$TMP/oh/overhead.csv"
check_nothing_left "nothing left loaded after overhead SIGTERM"
# Only whole rounds count, so every cell keeps the same rounds and the paired
# differences stay paired.
check_eq "every cell has the same number of rounds after the interrupt" \
	"$(awk -F, 'NR > 1 { print $5 }' "$TMP/oh/overhead.csv" | sort -u | wc -l)" 1
check "no temporary CSV left behind" test -z "$(ls "$TMP/oh" | grep '\.tmp$')"

# --- a second overhead while one runs is refused ---
"$BIN" overhead -o "$TMP/oh2" --rounds 50 --output none >/dev/null 2>"$TMP/oh2.err" &
pid=$!
# The lock is taken before this first line.
await_line "$pid" "$TMP/oh2.err" 'rounds + warm-up' "the first overhead runs"
"$BIN" overhead -o "$TMP/oh3" --quick >/dev/null 2>"$TMP/oh3.err"
check_eq "second overhead refused (exit 1)" "$?" 1
check "refusal says why" grep -q 'another timing run holds' "$TMP/oh3.err"
kill -INT "$pid"
wait "$pid"
check_nothing_left "nothing left loaded at the end"
finish

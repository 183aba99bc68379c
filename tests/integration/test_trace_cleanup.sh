#!/usr/bin/env bash
# trace prints the demo's lines for connections we make; nothing stays loaded
# or attached after trace/overhead end normally, on SIGINT or on SIGTERM.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# --- the reference demo ---
"$BIN" trace --duration 6 >"$TMP/trace.out" 2>"$TMP/trace.err" &
pid=$!
for _ in $(seq 50); do grep -q 'Ctrl-C to stop' "$TMP/trace.err" && break; sleep 0.1; done
"$BIN" hammer --connections 5 --threads 1 --quiet >"$TMP/hammer.out" 2>&1
check "hammer made 5 connections" grep -q '^connections=5 ' "$TMP/hammer.out"
wait "$pid"
check_eq "trace exits 0 after --duration" "$?" 0
lines=$(grep -cE '^[0-9:.]+ new tcp connection: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+$' "$TMP/trace.out")
check "trace printed at least 10 demo lines (5 connections x 2 opens): $lines" test "$lines" -ge 10
# Each of our 5 connections is seen from both ends: a:p -> b:q and its twin
# b:q -> a:p (other traffic on a shared machine may add lines, and a
# connection cut by trace's start or stop may show only one end, so count
# the complete pairs).
pairs=$(awk '/new tcp connection: / { seen[$5 " " $7] = 1 }
	END { n = 0; for (k in seen) { split(k, a, " "); if ((a[2] " " a[1]) in seen) n++ } print n / 2 }' \
	"$TMP/trace.out")
check "at least 5 connections seen from both ends: $pairs" test "${pairs%.*}" -ge 5
check_eq "nothing left loaded after trace" "$(our_progs)" ""

# --- signals: trace and overhead detach everything ---
for sig in INT TERM; do
	"$BIN" trace >/dev/null 2>"$TMP/t.err" &
	pid=$!
	for _ in $(seq 50); do grep -q 'Ctrl-C to stop' "$TMP/t.err" && break; sleep 0.1; done
	check "trace attached before SIG$sig" any_of_ours
	kill -"$sig" "$pid"
	wait "$pid"
	check_eq "trace exits 0 on SIG$sig" "$?" 0
	check_eq "nothing left loaded after trace SIG$sig" "$(our_progs)" ""
	check_eq "no link left after trace SIG$sig" "$(our_links)" ""
done

"$BIN" overhead -o "$TMP/oh" --rounds 50 --output none >/dev/null 2>"$TMP/oh.err" &
pid=$!
for _ in $(seq 100); do grep -q 'round 1/' "$TMP/oh.err" && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
check_eq "overhead exits 130 when interrupted" "$?" 130
check "interrupted overhead keeps partial results marked incomplete" \
	grep -q ',incomplete,' "$TMP/oh/overhead.csv"
check_eq "nothing left loaded after overhead SIGTERM" "$(our_progs)" ""
# Only whole rounds count, so every cell keeps the same rounds and the paired
# differences stay paired.
check_eq "every cell has the same number of rounds after the interrupt" \
	"$(awk -F, 'NR > 1 { print $5 }' "$TMP/oh/overhead.csv" | sort -u | wc -l)" 1
check "no temporary CSV left behind" test -z "$(ls "$TMP/oh" | grep '\.tmp$')"

# --- a second overhead while one runs is refused ---
"$BIN" overhead -o "$TMP/oh2" --rounds 50 --output none >/dev/null 2>"$TMP/oh2.err" &
pid=$!
for _ in $(seq 100); do grep -q 'round ' "$TMP/oh2.err" && break; sleep 0.1; done
"$BIN" overhead -o "$TMP/oh3" --quick >/dev/null 2>"$TMP/oh3.err"
check_eq "second overhead refused (exit 1)" "$?" 1
check "refusal says why" grep -q 'another overhead run' "$TMP/oh3.err"
kill -INT "$pid"
wait "$pid"
check_eq "nothing left loaded at the end" "$(our_progs)" ""
finish

#!/usr/bin/env bash
# Bad input: one clear line, a non-zero exit, nothing attached.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# expect_error DESC EXIT PATTERN COMMAND...
expect_error() {
	local desc=$1 want=$2 pattern=$3
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	check_eq "$desc: exit code" "$rc" "$want"
	check "$desc: says '$pattern'" grep -q -- "$pattern" "$TMP/err"
}

expect_error "unknown command" 2 "valid: bench list" "$BIN" frobnicate
expect_error "unknown variant" 2 "valid variants: empty, inline" "$BIN" sizes --variant nosuch
expect_error "unknown variant (trace)" 2 "valid variants:" "$BIN" trace --variant nosuch
expect_error "unknown attach mode" 2 "valid attach modes: auto, all, fentry" "$BIN" sizes --attach uprobe
expect_error "unknown output" 2 "valid outputs: none, ringbuf-nowakeup, ringbuf, perfbuf" "$BIN" sizes --output carrier-pigeon
expect_error "overhead without -o" 2 "-o DIR is required" "$BIN" overhead
expect_error "overhead bad rounds" 2 "whole number" "$BIN" overhead -o "$TMP/x" --rounds -3
expect_error "hyperfine refuses fewer than 10 rounds (its statistical units)" 2 \
	"--rounds 9 is too few: rounds are the statistical units, and an interval needs at least 10" \
	"$BIN" hyperfine -o "$TMP/hf" --rounds 9
check_eq "...in one line" "$(wc -l <"$TMP/err")" 1
check "...and creates nothing" test ! -e "$TMP/hf"
expect_error "hammer refuses a non-loopback address" 2 "loopback" "$BIN" hammer --address 10.0.0.1 --connections 1
expect_error "trace bad duration" 2 "duration" "$BIN" trace --duration soon
# calls: one K fits no line; a trigger is an exact word, not a substring.
expect_error "calls with one K" 2 "needs at least 2 distinct K values" "$BIN" calls -o "$TMP/c" --k 8
check_eq "calls with one K: one line" "$(wc -l <"$TMP/err")" 1
for t in synthx stor synthetic,x; do
	expect_error "calls --trigger $t" 2 "unknown trigger" "$BIN" calls -o "$TMP/c" --trigger "$t"
	check_eq "calls --trigger $t: one line" "$(wc -l <"$TMP/err")" 1
done
check "calls refused before creating its -o directory" test ! -e "$TMP/c"

for cmd in list trace sizes hammer overhead report compare; do
	"$BIN" "$cmd" --help >"$TMP/help" 2>&1
	check "$cmd --help exits 0 with a usage line" grep -q "usage: bpf2bpf-bench $cmd" "$TMP/help"
done

# Not root: one line naming what is missing, nothing attached.
if command -v setpriv >/dev/null; then
	expect_error "sizes as nobody" 1 "CAP_BPF\|not root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" sizes
	check_eq "not-root error is one line" "$(wc -l <"$TMP/err")" 1
	expect_error "trace as nobody" 1 "CAP_BPF\|not root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" trace
else
	skip "setpriv (util-linux) not installed: cannot drop privileges"
fi
check_nothing_left "nothing of ours left loaded or attached"
finish

#!/usr/bin/env bash
# tests/run-all.sh, the runner behind `make test`, on stand-in suites (one
# passing, one with a failed check, one that dies): every suite's lines stay
# in the log however stdout and stderr are redirected, and the last lines
# name each failed check (suite: its FAIL line), then the total.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

S=$TMP/suites
mkdir -p "$S"
cat >"$S/fake_pass.sh" <<FAKE
. "$PWD/tests/integration/lib.sh"
echo "stdout line of fake_pass"
echo "stderr line of fake_pass" >&2
check "a check that passes" true
finish
FAKE
cat >"$S/fake_fail.sh" <<FAKE
. "$PWD/tests/integration/lib.sh"
echo "stdout line of fake_fail"
echo "stderr line of fake_fail" >&2
check "a check that passes here too" true
check "a check that fails on purpose" false
finish
FAKE
cat >"$S/fake_died.sh" <<FAKE
echo "fake_died's last words"
exit 3
FAKE

# expect_log DESC FILE: FILE holds the whole run of the first two suites,
# in order, and ends with the failed check named, then the total.
expect_log() {
	local desc=$1 log=$2
	check "$desc: both suites' stdout and stderr lines, in order" \
		awk '/^=== fake_pass$/ { a = NR } /^stdout line of fake_pass$/ && a { b = NR }
			/^stderr line of fake_pass$/ && b { c = NR } /^=== fake_fail$/ && c { d = NR }
			/^stdout line of fake_fail$/ && d { e = NR } /^stderr line of fake_fail$/ && e { f = NR }
			END { exit !f }' "$log"
	check_eq "$desc: the last lines name the failed check, then the total" "$(tail -n 4 "$log")" \
		"failed checks:
  fake_fail: FAIL - a check that fails on purpose
suites with failures: fake_fail
2 passed, 1 failed, 0 skipped"
}

tests/run-all.sh "$S/fake_pass.sh" "$S/fake_fail.sh" >"$TMP/log" 2>&1
check_eq "a failed check: run-all exits 1" "$?" 1
expect_log "> log 2>&1" "$TMP/log"

tests/run-all.sh "$S/fake_pass.sh" "$S/fake_fail.sh" >"$TMP/out" 2>"$TMP/err"
expect_log "> out 2> err" "$TMP/out"
check_eq "> out 2> err: one stream, nothing on stderr" "$(cat "$TMP/err")" ""

tests/run-all.sh "$S/fake_pass.sh" "$S/fake_fail.sh" >"$TMP/same" 2>"$TMP/same"
expect_log "> log 2> log (opened twice)" "$TMP/same"

tests/run-all.sh "$S/fake_pass.sh" "$S/fake_fail.sh" 2>&1 | cat >"$TMP/piped"
expect_log "2>&1 | cat > log" "$TMP/piped"

# A terminal: script(1) gives run-all a pseudo-terminal and copies it out.
if command -v script >/dev/null; then
	script -qec "tests/run-all.sh '$S/fake_pass.sh' '$S/fake_fail.sh'" /dev/null 2>&1 |
		tr -d '\r' >"$TMP/tty"
	expect_log "a terminal" "$TMP/tty"
else
	skip "script (bsdutils) not installed: cannot give run-all a terminal"
fi

tests/run-all.sh "$S/fake_pass.sh" >"$TMP/ok" 2>&1
check_eq "all passed: run-all exits 0" "$?" 0
check_eq "all passed: the total is the last line, no failure list" \
	"$(tail -n 2 "$TMP/ok")" "
1 passed, 0 failed, 0 skipped"

tests/run-all.sh "$S/fake_died.sh" "$S/fake_pass.sh" >"$TMP/died" 2>&1
check_eq "a suite that died: run-all exits 1" "$?" 1
check "...its lines kept" grep -qx "fake_died's last words" "$TMP/died"
check "...and the next suite ran" grep -qx "stdout line of fake_pass" "$TMP/died"
check_eq "...it is named at the end with its exit status and last line, counted as failed" \
	"$(tail -n 4 "$TMP/died")" "failed checks:
  fake_died: exit status 3, no 'N passed, N failed' line; last line: fake_died's last words
suites with failures: fake_died
1 passed, 1 failed, 0 skipped"
finish

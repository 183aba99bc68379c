#!/usr/bin/env bash
# bpf2bpf-bench bench (`make bench`'s driver): the run directory's life cycle
# (.partial, renamed when done, .incomplete with complete=0 when
# interrupted), the lock against a second run, run.env written by the binary
# (the linked libbpf, the primary attach mode), the report, the one line on
# stdout, and clear refusals of bad options. Cheap methods only: the
# measurements themselves have their own tests.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

RES=$TMP/results
env_of() { sed -n "s/^$1=//p" "$2"; }

# ---- a whole run of one method ----
"$BIN" bench --only sizes --results "$RES" >"$TMP/out" 2>"$TMP/err"
check_eq "bench --only sizes exits 0" "$?" 0
last=$(tail -n1 "$TMP/out")
check_eq "stdout is one line" "$(wc -l <"$TMP/out")" 1
check "the line is the report's path" test -f "$last"
run=$(dirname "$last")
check "run directory named <UTC>-<host>-<kernel>" \
	bash -c "[[ \$(basename '$run') =~ ^[0-9]{8}T[0-9]{6}Z-.+-$(uname -r)\$ ]]"
check "no .partial left" test -z "$(find "$RES" -maxdepth 1 -name '.*.partial')"
check_eq "run.env: complete" "$(env_of complete "$run/run.env")" 1
check_eq "run.env: methods" "$(env_of methods "$run/run.env")" sizes
check_eq "run.env: no failed step" "$(env_of failed_steps "$run/run.env")" ""
check "run.env: the linked libbpf, from the binary" grep -qE '^libbpf=v[0-9]+\.[0-9]+' "$run/run.env"
check_eq "run.env: the primary attach mode is the one auto picks" \
	"$(env_of attach "$run/run.env")" "$(sed -n 's/^attach auto: picked \([a-z_]*\).*/\1/p' "$TMP/err" | head -n1)"
check "run.env: the CPU's vulnerabilities" grep -q '^cpu_vulnerabilities=' "$run/run.env"
check "env.txt: kernel options and every vulnerability file" \
	bash -c "grep -q '## kernel configuration' '$run/env.txt' && grep -q '## CPU vulnerabilities' '$run/env.txt'"
check "progress lines on stderr" grep -q '^\[1/2\] sizes' "$TMP/err"
check "sizes.csv written" test -s "$run/sizes.csv"
check "the report names the kernel" grep -q "^# bpf2bpf-bench: $(uname -r)" "$last"
check "the report says it is complete" bash -c "! grep -q 'interrupted' '$last'"
check "no temporary file left" test -z "$(find "$run" -name '*.tmp')"

# ---- a second run while one holds the lock ----
# The test's own descriptor holds the lock for exactly the refused run.
exec 8>"$RES/.lock"
flock -n 8
"$BIN" bench --only sizes --results "$RES" >"$TMP/out2" 2>"$TMP/err2"
check_eq "a concurrent run is refused (exit 1)" "$?" 1
check "...with a clear message" grep -q 'another bench is running' "$TMP/err2"
check_eq "...and creates nothing" "$(find "$RES" -mindepth 1 -maxdepth 1 -type d | wc -l)" 1
exec 8>&-

# ---- SIGTERM in the middle: kept as .incomplete with complete=0 ----
sleep 1 # a new second: a new run name
"$BIN" bench --only overhead --results "$RES" >"$TMP/out3" 2>"$TMP/err3" &
pid=$!
await_line "$pid" "$TMP/err3" 'round 1/' "the overhead step is measuring"
kill -TERM "$pid"
wait "$pid"
check_eq "interrupted run exits 143" "$?" 143
inc=$(find "$RES" -maxdepth 1 -name '*.incomplete' | head -n1)
check "kept as <name>.incomplete" test -d "$inc"
check_eq "run.env: complete=0" "$(env_of complete "$inc/run.env")" 0
check "what was measured is kept" test -s "$inc/overhead-rounds.csv"
check "the summary says the run is incomplete" grep -q ',incomplete,' "$inc/overhead.csv"
check "it says so" grep -q 'complete=0' "$TMP/err3"
check "no .partial left" test -z "$(find "$RES" -maxdepth 1 -name '.*.partial')"
check_eq "no stdout line for an incomplete run" "$(wc -l <"$TMP/out3")" 0
check_nothing_left "nothing of ours left loaded after the interrupted bench"
"$BIN" report "$inc" >/dev/null 2>"$TMP/err4"
check_eq "report works on the incomplete run" "$?" 0
check "...and says it was interrupted" grep -q 'This run was interrupted' "$inc/report.md"

# ---- a run that fails (env.txt cannot be written): never complete ----
# A tmpfs with 5 inodes, in a mount namespace of its own (gone with it):
# the root, results/, .lock, the run directory and run.env fit; env.txt
# gets ENOSPC, so the run fails before any method runs.
if command -v unshare >/dev/null; then
	mkdir -p "$TMP/tiny"
	unshare -m bash -c "mount -t tmpfs -o size=1m,nr_inodes=5 none '$TMP/tiny' &&
		'$BIN' bench --only sizes --results '$TMP/tiny/res' >'$TMP/out8' 2>'$TMP/err8'
		echo \$? >'$TMP/rc8'
		find '$TMP/tiny/res' -mindepth 1 -maxdepth 1 -printf '%f\n' >'$TMP/ls8'
		cat '$TMP/tiny/res/'*/run.env >'$TMP/env8' 2>/dev/null"
	check_eq "a failed run exits 1" "$(cat "$TMP/rc8")" 1
	check_eq "...prints no report path on stdout" "$(wc -l <"$TMP/out8")" 0
	check "...is kept as <name>.incomplete, not .partial nor complete" \
		bash -c "grep -q '\.incomplete\$' '$TMP/ls8' && ! grep -qvE '^(\.lock|.*\.incomplete)\$' '$TMP/ls8'"
	check_eq "...with run.env complete=0" "$(env_of complete "$TMP/env8")" 0
	check "...and says where the data is" grep -q 'complete=0' "$TMP/err8"
else
	skip "unshare (util-linux) not installed: cannot give bench a full filesystem"
fi

# ---- -o DIR: exactly there, never into a directory with files ----
mkdir -p "$TMP/full" && touch "$TMP/full/x"
"$BIN" bench --only sizes -o "$TMP/full" >/dev/null 2>"$TMP/err5"
check_eq "-o into a non-empty directory: exit 1" "$?" 1
check "...saying why" grep -q 'must be a new or empty directory' "$TMP/err5"

# ---- bad options: one clear line, exit 2 ----
"$BIN" bench --frobnicate >/dev/null 2>"$TMP/err6"
check_eq "unknown option: exit 2" "$?" 2
"$BIN" bench --only nosuch >/dev/null 2>"$TMP/err7"
check_eq "unknown method: exit 2" "$?" 2
check "...naming the valid ones" grep -q "'nosuch' is not a method bench runs; valid: sizes" "$TMP/err7"
"$BIN" bench --help >"$TMP/help" 2>&1
check "--help lists the methods" grep -q '^  overhead' "$TMP/help"

finish

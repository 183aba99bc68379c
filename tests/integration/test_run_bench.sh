#!/usr/bin/env bash
# scripts/run-bench.sh (`make bench`) with a stand-in binary that writes the
# fixture's files at once, so the driver's own behaviour is tested in
# seconds: the run directory's life cycle, the lock, interruption, the
# cross-check steps and the last line on stdout.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

FIX=$PWD/tests/fixtures/run-example
REAL=$PWD/$BIN
FAKE=$TMP/fake-bench
cat >"$FAKE" <<EOF
#!/usr/bin/env bash
# Stand-in for bpf2bpf-bench: fixture files instead of measurements.
cmd=\$1; shift
case \$cmd in
sizes)
	while [ \$# -gt 0 ]; do
		case \$1 in -o) out=\$2; shift ;; --logs|--dump) mkdir -p "\$2"; shift ;; esac
		shift
	done
	cp "$FIX/sizes.csv" "\$out" ;;
overhead)
	echo "fake overhead \$*" >&2
	sleep "\${FAKE_OVERHEAD_SLEEP:-0}"
	cp "$FIX"/overhead*.csv "\$2/" ;;
hammer)
	if [ "\${1:-}" = --help ]; then
		echo "usage: bpf2bpf-bench hammer"
		[ -n "\${FAKE_VARIANT:-}" ] && echo "  --variant V"
		exit 0
	fi
	echo "\$*" >>"$TMP/hammer.log"
	sleep 0.05
	echo "connections=1 conn_per_s=1 errors=0" ;;
report) exec "$REAL" report --no-charts "\$@" ;;
*) exit 2 ;;
esac
EOF
chmod +x "$FAKE"
export BPF2BPF_BENCH=$FAKE
RES=$TMP/results

# ---- a whole run ----
scripts/run-bench.sh --quick --results "$RES" >"$TMP/out" 2>"$TMP/err"
check_eq "run-bench exits 0" "$?" 0
last=$(tail -n1 "$TMP/out")
check_eq "stdout is one line" "$(wc -l <"$TMP/out")" 1
check "the last line is the report's path" test -f "$last"
run=$(dirname "$last")
check "run directory named <UTC>-<host>-<kernel>" \
	bash -c "[[ \$(basename '$run') =~ ^[0-9]{8}T[0-9]{6}Z-.+-$(uname -r)\$ ]]"
check "no .partial left" test -z "$(find "$RES" -maxdepth 1 -name '.*.partial')"
check "run.env: complete=1" grep -qx 'complete=1' "$run/run.env"
check "run.env: finished_utc" grep -q '^finished_utc=20' "$run/run.env"
check "run.env: attach of overhead" grep -qx 'attach=tp_btf' "$run/run.env"
check "run.env: outputs" grep -qx 'outputs=ringbuf,none' "$run/run.env"
check "env.txt written" grep -q '## kernel configuration' "$run/env.txt"
check "progress lines on stderr" grep -q '^\[6/6\] report' "$TMP/err"
check "overhead got --quick" grep -q 'fake overhead -o .* --quick' "$TMP/err"
check "no hyperfine without hammer --variant" test ! -e "$run/hyperfine.csv"

# ---- a second run while one holds the lock ----
# This shell holds it (fd 4, not passed on) for as long as the run takes.
exec 4>"$RES/.lock"
check "the test holds the results directory's lock" flock -n 4
scripts/run-bench.sh --quick --results "$RES" >"$TMP/out2" 2>"$TMP/err2" 4>&-
check_eq "a concurrent run is refused (exit 1)" "$?" 1
check "...with a clear message" grep -q "another 'make bench' is running" "$TMP/err2"
check "...and creates nothing" test "$(find "$RES" -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq 1
exec 4>&-

# ---- SIGTERM in the middle: kept as .incomplete with complete=0 ----
sleep 1 # a new second: a new run name
# A sleep no other process on the machine runs: 30 s and this shell's pid.
nap=30.$$
FAKE_OVERHEAD_SLEEP=$nap scripts/run-bench.sh --results "$RES" >"$TMP/out3" 2>"$TMP/err3" &
pid=$!
await_line "$pid" "$TMP/err3" 'fake overhead' "run-bench reached the overhead step"
kill -TERM "$pid"
wait "$pid"
check_eq "interrupted run exits 143" "$?" 143
inc=$(find "$RES" -maxdepth 1 -name '*.incomplete' | head -n1)
check "kept as <name>.incomplete" test -d "$inc"
check "run.env: complete=0" grep -qx 'complete=0' "$inc/run.env"
check "what was measured is kept" test -s "$inc/sizes.csv"
check "it says so" grep -q 'complete=0' "$TMP/err3"
check "no .partial left" test -z "$(find "$RES" -maxdepth 1 -name '.*.partial')"
# A process group killed by a signal dies on its own time: wait, bounded well
# under the sleep's 30 s.
nap_gone() { ! pgrep -f "sleep $nap\$" >/dev/null; }
check "the stopped step's processes are gone (within 10 s)" wait_for 10 nap_gone

# ---- the cross-checks, with a hammer that takes --variant ----
if command -v hyperfine >/dev/null && command -v iperf3 >/dev/null; then
	sleep 1
	: >"$TMP/hammer.log"
	FAKE_VARIANT=1 scripts/run-bench.sh --quick --results "$RES" >"$TMP/out4" 2>"$TMP/err4"
	check_eq "run with cross-checks exits 0" "$?" 0
	run=$(dirname "$(tail -n1 "$TMP/out4")")
	check "hyperfine.csv written" test -s "$run/hyperfine.csv"
	check "hyperfine.json written" test -s "$run/hyperfine.json"
	check "hyperfine commands named by variant" grep -q '^tailcall,' "$run/hyperfine.csv"
	check "hyperfine ran hammer at the overhead's attach mode" \
		grep -q -- '--variant tailcall --attach tp_btf --output none' "$TMP/hammer.log"
	check "global (failed at tracepoint, ok at tp_btf) is measured" grep -q '^global,' "$run/hyperfine.csv"
	check "run.env: hyperfine_connections" grep -qx 'hyperfine_connections=2000' "$run/run.env"
	check_eq "iperf.csv header" "$(head -n1 "$run/iperf.csv" 2>/dev/null)" "variant,round,gbit_per_s"
	check_eq "iperf.csv: none + 6 variants" "$(($(wc -l <"$run/iperf.csv") - 1))" 7
	check "report has the hyperfine table" grep -q '### hyperfine' "$run/report.md"
else
	skip "hyperfine or iperf3 not installed: cross-check steps"
fi

scripts/run-bench.sh --frobnicate >/dev/null 2>"$TMP/err5"
check_eq "unknown option: exit 2" "$?" 2
scripts/run-bench.sh --help >"$TMP/help" 2>&1
check "--help prints the usage" grep -q -- '--rounds N' "$TMP/help"

finish

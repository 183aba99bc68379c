#!/usr/bin/env bash
# The sweep method on this kernel: the quick grid (the objects built into the
# binary) within 30 s, with rows on every axis and the crossovers on the
# call-site and program axes named; sampled rows held loaded and compared with
# `bpftool prog show --json` for the same program ids; a per-load time limit
# that stops loads; its report section from `bench --only sweep`; nothing left
# loaded afterwards.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# The first refusals and crossovers go to stderr; sweep.csv has the rows.
mkfifo "$TMP/hold"
"$BIN" sweep --quick -q --hold 5 -o "$TMP/s" <"$TMP/hold" >"$TMP/out" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/hold" # keeps the sampled points loaded until closed
at_exit 'exec 3>&-'
await_line "$pid" "$TMP/err" '^sweep: holding' "sweep --quick holds every 5th point loaded"
CSV=$TMP/s/sweep.csv
if [[ ! -s $CSV ]]; then
	fail "sweep --quick wrote $CSV: $(tail -n1 "$TMP/err")"
	finish
fi
header=$(head -n1 "$CSV")
missing=""
for c in kernel variant axis n elf_code_bytes insn_cnt verified_insns total_states peak_states \
	verify_usec stack_depth xlated_bytes jited_bytes jited_funcs memlock_bytes status reason \
	style attach call built_n bpf_cpu prog_ids; do
	[[ ,$header, == *,$c,* ]] || missing="$missing $c"
done
check_eq "sweep.csv has the issue's columns and the sweep's own" "$missing" ""
secs=$(sed -n 's/^sweep: quick grid: [0-9]* points in \([0-9.]*\) s.*/\1/p' "$TMP/err")
check "the quick grid ran in ${secs:-?} s, at most 30" awk -v s="${secs:-999}" 'BEGIN { exit !(s <= 30) }'

T=$TMP/s.tsv
csv2tsv "$CSV" >"$T"
for axis in calls loop bpf_loop progs size; do
	n=$(field "$T" axis | grep -cx "$axis")
	check "axis $axis has rows ($n)" test "$n" -gt 0
done
check_eq "every row has the header's field count" \
	"$(awk -F'\t' 'NR == 1 { n = NF } NF != n { bad++ } END { print bad + 0 }' "$T")" 0
check_eq "no point failed, timed out or was skipped" \
	"$(field "$T" status | grep -cvxE 'ok|refused|branch-range')" 0
check "every refused row says why, in the kernel's words" \
	test -z "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$(c["status"]) != "ok" && $(c["reason"]) == "" { print }' "$T")"
check_eq "the call kinds read from the objects" \
	"$(field "$T" call | sort -u | tr '\n' ' ')" "global inlined static tail "
# The crossovers the issue asks the quick grid to name.
check "a crossover is named on the call-site axis (ELF code)" \
	grep -qE "^sweep: - On the calls axis \(tp_btf, CO-RE reads\), [a-z]+ (passes|exceeds) [a-z]+ in ELF code (at|from)" "$TMP/err"
check "...the static call pulling away from the global one (verified insns)" \
	grep -qE "^sweep: - On the calls axis \(tp_btf, CO-RE reads\), [a-z]+ (pulls away from|is already away from) [a-z]+ \(more than 2x\) in verified insns" "$TMP/err"
check "a crossover is named on the program axis (JIT, against the tail call)" \
	grep -qE "^sweep: - On the progs axis \(tp_btf, CO-RE reads\), [a-z]+ (passes|exceeds|never passes) tailcall in JIT" "$TMP/err"

# Held rows against bpftool, program by program (ids summed per row). One
# bpftool call for all: most rows are not held.
if ! command -v jq >/dev/null; then
	skip "bpftool cross-check: jq is not installed (apt-get install jq)"
else
	declare -A shown=()
	while read -r id x j m v; do shown[$id]="$x $j $m $v"; done < <(bpftool prog show --json |
		jq -r '.[] | "\(.id) \(.bytes_xlated) \(.bytes_jited) \(.bytes_memlock) \(.verified_insns // "-")"')
	compared=0 bad=0 verified=0
	while IFS=$'\t' read -r ids x j m v what; do
		[[ -n $ids && -n ${shown[${ids%%+*}]:-} ]] || continue # not held
		sx=0 sj=0 sm=0 sv=0
		for id in ${ids//+/ }; do
			read -r a b c d <<<"${shown[$id]:-0 0 0 -}"
			sx=$((sx + a)) sj=$((sj + b)) sm=$((sm + c))
			[[ $d == - ]] && sv=- || { [[ $sv == - ]] || sv=$((sv + d)); }
		done
		compared=$((compared + 1))
		if [[ $x != "$sx" || $j != "$sj" || $m != "$sm" ]]; then
			bad=$((bad + 1))
			echo "  $what: xlated/jited/memlock $x/$j/$m, bpftool $sx/$sj/$sm"
		fi
		if [[ $sv != - ]]; then
			verified=$((verified + 1))
			[[ $v == "$sv" ]] || { bad=$((bad + 1)); echo "  $what: verified_insns $v, bpftool $sv"; }
		fi
	done < <(awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$(c["status"]) == "ok" { print $(c["prog_ids"]), $(c["xlated_bytes"]), $(c["jited_bytes"]),
			$(c["memlock_bytes"]), $(c["verified_insns"]), $(c["object"]) " n=" $(c["n"]) }' "$T")
	check "rows held loaded while bpftool looked ($compared, at least 10)" test "$compared" -ge 10
	check_eq "held rows' xlated, JIT and memlock bytes equal bpftool's for the same ids" "$bad" 0
	if [[ $verified -eq 0 ]]; then
		skip "verified_insns against bpftool: $(bpftool version | head -n1) does not print it"
	else
		pass "verified_insns compared with bpftool on $verified rows"
	fi
fi
exec 3>&-
wait "$pid"
check_eq "sweep exits 0 once stdin closes" "$?" 0

# A per-load limit stops the large loop loads, and quickly.
start=$(now_ms)
"$BIN" sweep --quick -q --axis loop --timeout-ms 30 -o "$TMP/t" >/dev/null 2>"$TMP/terr"
check_eq "sweep --timeout-ms 30 exits 0" "$?" 0
check "a 30 ms limit stops loads (timeout rows: $(grep -c ',timeout,' "$TMP/t/sweep.csv"))" \
	grep -q ',timeout,stopped after' "$TMP/t/sweep.csv"
check "...and the grid ends within 10 s ($(seconds_since "$start") s)" \
	test "$(($(now_ms) - start))" -lt 10000
check "--axis loop: only loop rows" test -z "$(cut -d, -f3 "$TMP/t/sweep.csv" | sed 1d | grep -vx loop)"

# The method in a run directory: bench --only sweep, and its report section.
"$BIN" bench --only sweep -o "$TMP/b" >"$TMP/bout" 2>"$TMP/berr"
check_eq "bench --only sweep exits 0 ($(tail -n1 "$TMP/berr"))" "$?" 0
R=$TMP/b/report.md
check "report.md has the sweep's section" grep -qx '## Scaling sweep' "$R"
check "...the crossovers in its findings" grep -qE '^- On the calls axis \(tp_btf, CO-RE reads\): ' "$R"
check "...a table of every point per axis" grep -qE '^\| +64 \| inline +\| inlined +\| ok' "$R"
if command -v gnuplot >/dev/null; then
	check "...and a log-log chart per axis" test -s "$TMP/b/charts/sweep-calls-core-tp_btf.png" \
		-a -s "$TMP/b/charts/sweep-progs-core-tp_btf.png" -a -s "$TMP/b/charts/sweep-loop-core-tp_btf.png"
else
	skip "sweep charts: gnuplot is not installed"
fi
"$BIN" sweep --objects /nonexistent -o "$TMP/x" >/dev/null 2>"$TMP/xerr"
check_eq "sweep with an object directory that is not there exits 1" "$?" 1
check "...naming it" grep -q '/nonexistent' "$TMP/xerr"

check_nothing_left "no sweep program left loaded"
finish

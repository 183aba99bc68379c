#!/usr/bin/env bash
# report and compare on the fixture run directory (no kernel access): the
# report is byte-for-byte reproducible, compare matches rows and says N/A,
# bad run directories get one clear line and leave no report behind.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

FIX=tests/fixtures/run-example

fresh() { # a writable copy of the fixture at $TMP/$1
	rm -rf "${TMP:?}/$1"
	cp -r "$FIX" "$TMP/$1"
}

# ---- reproducible report ----
fresh a
"$BIN" report "$TMP/a" >"$TMP/out" 2>"$TMP/err"
check_eq "report exits 0" "$?" 0
check "report.md written" test -s "$TMP/a/report.md"
check "no .tmp left behind" test -z "$(find "$TMP/a" -name '*.tmp')"
mkdir -p "$TMP/first"
cp -r "$TMP/a/report.md" "$TMP/a/charts" "$TMP/first/"
"$BIN" report "$TMP/a" >/dev/null 2>&1
check "report.md is byte-for-byte the same on a second run" cmp -s "$TMP/a/report.md" "$TMP/first/report.md"
fresh a2
"$BIN" report "$TMP/a2" >/dev/null 2>&1
check "...and in another directory with the same files" cmp -s "$TMP/a2/report.md" "$TMP/first/report.md"
if command -v gnuplot >/dev/null; then
	for f in sizes.png overhead.png sizes.gp overhead.dat sweep-calls-core-tp_btf.png sweep-progs-core-tp_btf.dat; do
		check "charts/$f is reproducible" cmp -s "$TMP/a/charts/$f" "$TMP/first/charts/$f"
	done
	check "report links the charts" grep -q '](charts/sizes.png)' "$TMP/a/report.md"
else
	skip "gnuplot not installed: chart checks"
fi
# One section per method of the method table that ran (the fixture: all but
# the hammer's, which comes generic).
for section in "## Findings" "## ELF object" "## Verifier" "## Kernel image" "## Scaling sweep" \
	"## Time per event" "## End-to-end storm" "## Time per call" "## Cross-check: hyperfine" \
	"## Smoke check: iperf3" \
	"## Skipped and failed" "## hammer.csv" "## Files"; do
	check "report has '$section'" grep -qx -- "$section" "$TMP/a/report.md"
done
nfind=$(sed -n '/^## Findings/,/^## /p' "$TMP/a/report.md" | grep -c '^- ')
check "3 to 24 findings ($nfind)" test "$nfind" -ge 3 -a "$nfind" -le 24
check "finding: noinline smaller ELF, larger JIT" \
	grep -q "noinline's ELF code is 568 bytes (27.31%) smaller than inline's, but its JIT image is 88 bytes (9.01%) larger" "$TMP/a/report.md"
check "finding: global's failure with the verifier's words" \
	grep -q "global failed to load: .tp_active: Caller passes invalid args" "$TMP/a/report.md"
check "finding: 3 rounds are too few for a claim on time" \
	grep -q "measured in 3 rounds only: too few for a claim" "$TMP/a/report.md"
check "the numbers of the findings are in the tables" grep -q -- "-568 (-27.31%)" "$TMP/a/report.md"
check "failed rows link their verifier log" grep -q 'verifier/global-tracepoint-tp_active.log' "$TMP/a/report.md"
check "the context names the CPU's mitigations" grep -q '^CPU vulnerabilities' "$TMP/a/report.md"
check "every pair of the time table carries its interval and Holm p" \
	grep -q '| attach *| output *| a *| b *| a - b (ns) | *95% CI | p (Holm) | verdict' "$TMP/a/report.md"
check "hyperfine is set against the in-process figure and the statistics' bookkeeping" \
	grep -q "| in-process per conn (us) | stats bookkeeping per conn (us) | hyperfine's place |" "$TMP/a/report.md"
check "...and never falls below what the programs must cost in the fixture" \
	bash -c "! sed -n '/^## Cross-check: hyperfine/,/^## /p' '$TMP/a/report.md' | grep -q '| below '"
check "hyperfine's table counts rounds, its units, and its interval is over rounds" \
	grep -q "| variant  | rounds | runs | median (s) | added per conn (us) | 95% CI (over rounds) |" "$TMP/a/report.md"
check "...and the fixture's 2 rounds give no interval" \
	bash -c "sed -n '/^## Cross-check: hyperfine/,/^## /p' '$TMP/a/report.md' | grep -q '^| inline   |      2 |    6 |.* | *- |'"
check "iperf's vs-none column is labelled a smoke check, not a measured difference" \
	grep -q "| vs none (smoke check, 1 stream, no CI) |" "$TMP/a/report.md"
check "the storm table carries its interval" grep -q '| vs none (%) |  *95% CI |' "$TMP/a/report.md"
# The fixture's 3 rounds: no bootstrap interval anywhere in the overhead
# tables (far too narrow over so few), each said so with its n.
check "the time table's inline row says no interval (n=3), twice (time and net)" \
	bash -c "sed -n '/^## Time per event/,/^## /p' '$TMP/a/report.md' | grep -E '^\| inline ' |
		grep -q 'no interval (n=3) .*no interval (n=3)'"
check "the pairs say no interval from fewer than 10 paired rounds" \
	bash -c "sed -n '/^## Time per event/,/^## End-to-end/p' '$TMP/a/report.md' | grep -E '^\| tp_btf ' |
		grep -q 'no interval (n<10)'"
check "no overhead table row from 3 rounds shows a bracket" \
	bash -c "! sed -n '/^## Time per event/,/^## Time per call/p' '$TMP/a/report.md' | grep -E '^\| [a-z_]+ ' | grep -q '\[-\?[0-9]'"

# Every number of a finding appears in a table (lines starting with '|').
numbers_in_tables() { # REPORT: 0 when every number of its findings is in a table
	local n missing=0
	while read -r n; do
		grep '^|' "$1" | grep -q -- "$n" || { missing=1 && echo "  not in a table: $n"; }
	done < <(sed -n '/^## Findings/,/^## /p' "$1" | grep '^- ' | sed 's/`[^`]*`//g' |
		grep -oE -- '-?[0-9]+(\.[0-9]+)?%?' | sed 's/^-//' | sort -u)
	echo "$missing"
}
check_eq "every number in the findings is in a table" "$(numbers_in_tables "$TMP/a/report.md")" 0

# ---- modes the kernel refused (the fixture's machine: fentry, kprobe) ----
# sizes writes one TOTAL row per variant, status=skipped, with only the ELF
# sizes. The metric tables leave those rows out and say so under each;
# failed rows (global at tracepoint) stay; "Skipped and failed" still lists
# every skipped row with its reason. Made harder here: tracepoint refused too.
fresh s
awk -F, -v OFS=, '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
$c["attach"] != "tp_btf" || $c["variant"] != "linked" { print; next }
$c["program"] != "TOTAL" { next }
{
	for (i = c["elf_code_bytes"]; i <= NF; i++)
		if (i != c["elf_btf_bytes"] && i != c["output"])
			$i = ""
	$c["status"] = "skipped"
	$c["reason"] = "kernel refused tp_btf at load: Operation not permitted"
	print
}' "$FIX/sizes.csv" >"$TMP/s/sizes.csv"
"$BIN" report --no-charts "$TMP/s" >/dev/null 2>"$TMP/err"
check_eq "report with skipped modes exits 0" "$?" 0
metric_tables() { sed -n '/^## ELF object/,/^## Skipped and failed/p' "$TMP/s/report.md"; }
check_eq "no fentry row in the metric tables" "$(metric_tables | grep -c '^| [a-z]* *| fentry ')" 0
check_eq "no row for linked at tp_btf in the metric tables" \
	"$(metric_tables | grep -c '^| linked *| tp_btf ')" 0
check_eq "'Skipped here' under each of the 3 tables, naming linked (and freplace: EPERM here) at tp_btf" \
	"$(grep -cx 'Skipped here: fentry, kprobe, tp_btf (linked, freplace), tracepoint (freplace) (see "Skipped and failed").' "$TMP/s/report.md")" 3
check_eq "failed rows stay in the tables" "$(metric_tables | grep -c '^| global *| tracepoint .*| failed *|$')" 3
nvariants=$(awk -F, 'NR > 1 { print $2 }' "$FIX/sizes.csv" | sort -u | wc -l)
check_eq "'Skipped and failed' lists every skipped fentry row ($nvariants) with its reason" \
	"$(sed -n '/^## Skipped and failed/,/^## /p' "$TMP/s/report.md" |
		grep -c '^| [a-z]* *| fentry *| TOTAL *| skipped *| kernel refused fentry at load')" "$nvariants"
check "...and linked at tp_btf" grep -q '^| linked *| tp_btf *| TOTAL *| skipped *| kernel refused tp_btf' "$TMP/s/report.md"
check_eq "...numbers of its findings are in a table" "$(numbers_in_tables "$TMP/s/report.md")" 0
cp "$TMP/s/report.md" "$TMP/s-first.md"
"$BIN" report --no-charts "$TMP/s" >/dev/null 2>&1
check "...and it is byte-for-byte the same on a second run" cmp -s "$TMP/s/report.md" "$TMP/s-first.md"

"$BIN" report --no-charts "$TMP/a" >/dev/null 2>&1
check "--no-charts says so" grep -q 'charts not drawn (--no-charts)' "$TMP/a/report.md"

# Optional files missing: the report says what is missing.
fresh b
rm "$TMP/b"/hyperfine*.csv "$TMP/b/iperf.csv" "$TMP/b/overhead-pairs.csv" "$TMP/b/hammer.csv"
"$BIN" report --no-charts "$TMP/b" >/dev/null 2>&1
check_eq "report without optional files exits 0" "$?" 0
check "it lists hyperfine.csv as absent" grep -q 'hyperfine.csv *| absent (written by bpf2bpf-bench hyperfine)' "$TMP/b/report.md"
check "...and has no hyperfine section" bash -c "! grep -q '## Cross-check: hyperfine' '$TMP/b/report.md'"
fresh c
rm "$TMP/c"/overhead*.csv
"$BIN" report --no-charts "$TMP/c" >/dev/null 2>&1
check_eq "report without the overhead files exits 0" "$?" 0
check "it lists overhead.csv as absent" grep -q 'overhead.csv *| absent' "$TMP/c/report.md"
check "...and has no time section" bash -c "! grep -q '## Time per event' '$TMP/c/report.md'"
fresh d && rm "$TMP/d/sizes.csv"
"$BIN" report --no-charts "$TMP/d" >/dev/null 2>&1
check_eq "report without sizes.csv (bench --only) exits 0" "$?" 0

# ---- bad run directories: one line naming the file (and line), exit 2, no report ----
expect_bad() { # DESC DIR PATTERN
	rm -f "$2/report.md"
	"$BIN" report "$2" >"$TMP/out" 2>"$TMP/err"
	check_eq "$1: exit 2" "$?" 2
	check "$1: says '$3'" grep -q -- "$3" "$TMP/err"
	check_eq "$1: one line" "$(wc -l <"$TMP/err")" 1
	check "$1: no report.md" test ! -e "$2/report.md" -a ! -e "$2/report.md.tmp"
}
mkdir -p "$TMP/notrun"
expect_bad "not a run directory" "$TMP/notrun" "not a run directory (no run.env)"
expect_bad "no such directory" "$TMP/nosuch" "no such directory"
fresh e && cut -d, -f1-8,10- "$FIX/sizes.csv" >"$TMP/e/sizes.csv"
expect_bad "missing column" "$TMP/e" "sizes.csv: missing column verified_insns"
fresh f && sed -i 's/^schema_version=.*$/schema_version=99/' "$TMP/f/run.env"
expect_bad "unknown schema version" "$TMP/f" "run.env: schema_version 99 is not supported"
fresh g && head -c -40 "$FIX/overhead.csv" >"$TMP/g/overhead.csv"
expect_bad "truncated last row" "$TMP/g" "overhead.csv:$(wc -l <"$FIX/overhead.csv"):"
fresh h && sed -i '5s/,[^,]*$//' "$TMP/h/sizes.csv"
expect_bad "row with a field missing" "$TMP/h" "sizes.csv:5: .*fields, header has"
not_a_number() { awk -F, -v OFS=, 'NR == 3 { $5 = "4x1" } { print }' "$FIX/sizes.csv" >"$1/sizes.csv"; }
fresh i && not_a_number "$TMP/i"
expect_bad "not a number" "$TMP/i" "sizes.csv:3: column elf_file_bytes: '4x1' is not a whole number"
fresh j && sed -i '/^schema_version/d' "$TMP/j/run.env"
expect_bad "no schema_version" "$TMP/j" "run.env: no schema_version"
fresh k && cp "$TMP/first/report.md" "$TMP/k/report.md" && not_a_number "$TMP/k"
"$BIN" report "$TMP/k" >/dev/null 2>&1
check "a failed report leaves the previous report.md as it was" cmp -s "$TMP/k/report.md" "$TMP/first/report.md"

# ---- compare ----
fresh ca
fresh cb
# B: one program gone, one number changed, overhead.csv without a row.
code=$(awk -F, '$2 == "inline" && $3 == "tp_btf" && $4 == "TOTAL" { print $6 }' "$FIX/sizes.csv")
jit=$(awk -F, '$2 == "noinline" && $3 == "tp_btf" && $4 == "tpb_passive" { print $15 }' "$FIX/sizes.csv")
sed -i "/,noinline,tp_btf,tpb_passive,/d; s/^\(.*,inline,tp_btf,TOTAL,[0-9]*\),$code,/\1,2000,/" "$TMP/cb/sizes.csv"
# ...and in sweep.csv, inline's verified insns at 64 call sites (column 7).
sv=$(awk -F, '$2 == "inline" && $3 == "calls" && $4 == 64 && $18 == "core" && $19 == "tp_btf" { print $7 }' "$FIX/sweep.csv")
awk -F, -v OFS=, '$2 == "inline" && $3 == "calls" && $4 == 64 && $18 == "core" && $19 == "tp_btf" { $7 = 9999 } { print }' \
	"$FIX/sweep.csv" >"$TMP/cb/sweep.csv"
sed -i '/,tailcall,tp_btf,ringbuf,/d' "$TMP/cb/overhead.csv"
pct=$(awk -v a="$code" 'BEGIN { printf "%+.2f%%", (2000 - a) * 100 / a }')
"$BIN" compare "$TMP/ca" "$TMP/cb" >"$TMP/cmp.md" 2>"$TMP/err"
check_eq "compare exits 0" "$?" 0
check "md: changed metric shows diff (pct)" \
	grep -qE "\| inline +\| tp_btf +\| TOTAL +\| ringbuf +\| elf_code_bytes +\| +$code \| +2000 \| +-$((code - 2000)) \(\\$pct\) \|" "$TMP/cmp.md"
check "md: a row only A has shows N/A" \
	grep -qE "\| noinline +\| tp_btf +\| tpb_passive +\| ringbuf +\| jited_bytes +\| +$jit \| +N/A \| +N/A \|" "$TMP/cmp.md"
check "md: an overhead row only A has shows N/A" \
	grep -qE '\| tailcall +\| tp_btf +\| ringbuf +\| ns_per_event +\| +[0-9.]+ \| +N/A \|' "$TMP/cmp.md"
check "md: hyperfine.csv is compared too" grep -qx '## hyperfine.csv' "$TMP/cmp.md"
"$BIN" compare --format csv -o "$TMP/cmp.csv" "$TMP/ca" "$TMP/cb" 2>"$TMP/err"
check_eq "compare --format csv -o exits 0" "$?" 0
check_eq "csv header" "$(head -n1 "$TMP/cmp.csv")" "file,key,metric,a,b,diff,pct"
check "csv: changed metric" \
	grep -qx "sizes.csv,variant=inline;attach=tp_btf;program=TOTAL;output=ringbuf,elf_code_bytes,$code,2000,-$((code - 2000)),$pct" "$TMP/cmp.csv"
check "csv: N/A side" \
	grep -qx "sizes.csv,variant=noinline;attach=tp_btf;program=tpb_passive;output=ringbuf,jited_bytes,$jit,N/A,," "$TMP/cmp.csv"
check "csv: sweep.csv is compared, rows keyed by variant, axis, n, style and attach" \
	grep -q "^sweep.csv,variant=inline;axis=calls;n=64;style=core;attach=tp_btf,verified_insns,$sv,9999," "$TMP/cmp.csv"
"$BIN" compare --changed "$TMP/ca" "$TMP/ca" >"$TMP/same.md" 2>&1
check "--changed on identical runs: no differences" grep -q 'No differences' "$TMP/same.md"
now=$(sed -n 's/^schema_version=//p' "$TMP/ca/run.env")
sed -i 's/^schema_version=.*$/schema_version=99/' "$TMP/cb/run.env"
"$BIN" compare "$TMP/ca" "$TMP/cb" >/dev/null 2>"$TMP/err"
check_eq "compare across schema versions exits 0" "$?" 0
check "...with a warning" grep -q "warning: schema_version $now (A) vs 99 (B)" "$TMP/err"
fresh cc
printf 'kernel,variant,attach,output,program,colour\nk,inline,tp_btf,ringbuf,TOTAL,blue\n' >"$TMP/cc/sizes.csv"
rm "$TMP/cc"/overhead*.csv "$TMP/cc"/hyperfine*.csv "$TMP/cc"/sweep.csv "$TMP/cc"/calls*.csv
"$BIN" compare "$TMP/ca" "$TMP/cc" >/dev/null 2>"$TMP/err"
check_eq "nothing in common: exit 2" "$?" 2
check "...says so" grep -q 'no metric columns in common' "$TMP/err"
"$BIN" compare "$TMP/ca" "$TMP/notrun" >/dev/null 2>"$TMP/err"
check_eq "compare with a non-run: exit 2" "$?" 2
check "...names it" grep -q 'not a run directory' "$TMP/err"

# ---- the overhead summary, from overhead-rounds.csv alone ----
fresh o
rm "$TMP/o/overhead.csv" "$TMP/o/overhead-pairs.csv"
"$BIN" overhead --summarize "$TMP/o" 2>"$TMP/err"
check_eq "overhead --summarize exits 0 (no kernel, no root needed)" "$?" 0
check "...and gives the run's overhead.csv byte for byte" cmp -s "$TMP/o/overhead.csv" "$FIX/overhead.csv"
check "...and its overhead-pairs.csv" cmp -s "$TMP/o/overhead-pairs.csv" "$FIX/overhead-pairs.csv"
sed -i '$s/,ok,/,partial-round,/' "$TMP/o/overhead-rounds.csv"
"$BIN" overhead --summarize "$TMP/o" 2>"$TMP/err"
check "a partial round in the file: the summary says incomplete" grep -q ',incomplete,' "$TMP/o/overhead.csv"
printf 'kernel,variant\nk,v\n' >"$TMP/o/overhead-rounds.csv"
"$BIN" overhead --summarize "$TMP/o" >/dev/null 2>"$TMP/err"
check_eq "a rounds file without its columns: exit 2" "$?" 2
check "...naming the missing column" grep -q 'overhead-rounds.csv: missing column attach' "$TMP/err"

# ---- the calls summary, from calls-rounds.csv alone ----
fresh cs
rm "$TMP/cs/calls.csv" "$TMP/cs/calls-bpf-stats.csv"
"$BIN" calls --summarize "$TMP/cs" 2>"$TMP/err"
check_eq "calls --summarize exits 0 (no kernel, no root needed)" "$?" 0
check "...and gives the run's calls.csv byte for byte" cmp -s "$TMP/cs/calls.csv" "$FIX/calls.csv"
check "...and its calls-bpf-stats.csv" cmp -s "$TMP/cs/calls-bpf-stats.csv" "$FIX/calls-bpf-stats.csv"
printf 'kernel,variant\nk,v\n' >"$TMP/cs/calls-rounds.csv"
"$BIN" calls --summarize "$TMP/cs" >/dev/null 2>"$TMP/err"
check_eq "a calls rounds file without its columns: exit 2" "$?" 2
check "...naming the missing column" grep -q 'calls-rounds.csv: missing column' "$TMP/err"
# An interrupted bench run whose calls.csv is missing: run.env's complete=0
# is what says so. Every measured row carries it (no row says ok); a
# variant the kernel refused keeps its failed or skipped.
fresh cs2
rm "$TMP/cs2/calls.csv" "$TMP/cs2/calls-bpf-stats.csv"
sed -i 's/^complete=.*/complete=0/' "$TMP/cs2/run.env"
"$BIN" calls --summarize "$TMP/cs2" 2>"$TMP/err"
check_eq "calls --summarize of an interrupted run without calls.csv exits 0" "$?" 0
for f in calls.csv calls-bpf-stats.csv; do
	check "...and its $f rows say incomplete, none ok" awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") c = i; next }
		$c == "ok" { bad = 1 } $c == "incomplete" { inc++ } END { exit bad || !inc }' "$TMP/cs2/$f"
done

# ---- the matrix report's overhead tables: median, 95% CI and rounds ----
# On copies of the committed kernel-matrix example (it is never rewritten).
# Its runs are quick (3 rounds): a bootstrap over so few is far too narrow,
# so a cell says "n=3 (no interval)" whatever its overhead.csv holds (the
# example was summarised before the summary left those fields empty); a cell
# of 10 rounds or more carries its bracket.
MX=results/example-matrix
if [ -f "$MX/columns" ]; then
	cp -r "$MX" "$TMP/mx"
	"$BIN" matrix-report "$TMP/mx" >/dev/null 2>"$TMP/err"
	check_eq "matrix-report on the example exits 0" "$?" 0
	host=$(grep '^host-' "$MX/columns" | head -n1)
	csv=$MX/$host/run/overhead.csv
	# rounds ns_per_event net_ns of inline, none
	read -r r e n < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["variant"] == "inline" && $c["output"] == "none" {
		printf "%d %.1f %.1f\n", $c["rounds"], $c["ns_per_event"], $c["net_ns"]; exit }' "$csv")
	tables=$(sed -n '/^### Native timings/,/^###* [^N]/p' "$TMP/mx/report.md")
	check_eq "the example's host cell has 3 rounds (the case these checks are for)" "$r" 3
	check "matrix net_ns cell from 3 rounds: median n=3 (no interval) ($n n=$r (no interval))" \
		grep -qF "| $n n=$r (no interval) " <<<"$(sed -n '/(`net_ns`/,/(`ns_per_event`/p' <<<"$tables" | grep '^| inline ')"
	check "matrix ns_per_event cell from 3 rounds: median n=3 (no interval) ($e n=$r (no interval))" \
		grep -qF "| $e n=$r (no interval) " <<<"$(sed -n '/(`ns_per_event`/,$p' <<<"$tables" | grep '^| inline ')"
	overhead_cells() {
		sed -n '/^## Time per event, by timing kind/,/^## Time per call/p' "$1" |
			grep -E '^\| [a-z]+ +\| [a-z_]+ +\| [a-z-]+ +\|' | grep -vE '^\| variant '
	}
	overhead_cells "$TMP/mx/report.md" >"$TMP/mx-cells"
	check "the matrix report has overhead rows" test -s "$TMP/mx-cells"
	check "every overhead matrix cell with a median has n=rounds" \
		bash -c "! grep -qE '\| +-?[0-9.]+ +\|' '$TMP/mx-cells'"
	check "no overhead matrix cell from fewer than 10 rounds shows a bracket" \
		bash -c "! grep -qE '\] n=[0-9] ' '$TMP/mx-cells'"
	# The calls tables: a comparison Holm did not call carries "n.d." beside
	# its unadjusted bracket; a row without an interval says how many loads
	# and that it has none; no cell is a bare "x ns/call".
	# (cells unpadded: each ends with " |", so a match is the whole cell)
	calls_tables=$(sed -n '/^## Time per call, by timing kind/,/^Skipped, failed/p' "$TMP/mx/report.md" |
		sed 's/   *|/ |/g')
	check "the calls matrix explains n.d." grep -q 'n\.d\. after it: not distinguishable from inlining after Holm' <<<"$calls_tables"
	cells=$(for k in $(cat "$MX/columns"); do awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["status"] == "ok" && $c["verdict"] == "not distinguishable" {
			printf "nd %+.2f [%.2f, %.2f] n.d.\n", $c["mech_ns_vs_inline"], $c["mech_ci_low"], $c["mech_ci_high"] }
		$c["status"] == "ok" && $c["verdict"] == "costlier" {
			printf "called %+.2f [%.2f, %.2f]\n", $c["mech_ns_vs_inline"], $c["mech_ci_low"], $c["mech_ci_high"] }
		$c["status"] == "ok" && $c["verdict"] == "" && $c["loads"] == 1 && $c["ci_low"] == "" {
			printf "one %.2f ns/call (1 load, no interval)\n", $c["ns_per_call"] }' "$MX/$k/run/calls.csv"; done)
	for kind in nd called one; do
		want=$(grep -c "^$kind " <<<"$cells")
		found=0
		while read -r _ c; do grep -qF "| $c |" <<<"$calls_tables" && found=$((found + 1)); done < <(grep "^$kind " <<<"$cells")
		check "calls matrix: all $want '$kind' cells of the example as their CSV says (e.g. '$(grep -m1 "^$kind " <<<"$cells" | cut -d' ' -f2-)')" \
			test "$want" -gt 0 -a "$found" -eq "$want"
	done
	check "calls matrix: no bare 'x ns/call' cell" bash -c "! grep -qE '\| -?[0-9.]+ ns/call +\|' <<<\"\$1\"" _ "$calls_tables"
	# The same cell given 20 rounds and intervals (a 3-round summary has none)
	# carries its bracket: median +- 1.5 and net +- 2.5, made up here.
	cp -r "$MX" "$TMP/mx20"
	read -r e n < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["variant"] == "inline" && $c["output"] == "none" {
		printf "%.1f %.1f\n", $c["ns_per_event"], $c["net_ns"]; exit }' "$csv")
	el=$(awk -v x="$e" 'BEGIN { printf "%.1f", x - 1.5 }'); eh=$(awk -v x="$e" 'BEGIN { printf "%.1f", x + 1.5 }')
	nl=$(awk -v x="$n" 'BEGIN { printf "%.1f", x - 2.5 }'); nh=$(awk -v x="$n" 'BEGIN { printf "%.1f", x + 2.5 }')
	awk -F, -v OFS=, -v el="$el" -v eh="$eh" -v nl="$nl" -v nh="$nh" \
		'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		NR > 1 && $c["variant"] == "inline" && $c["output"] == "none" {
			$c["rounds"] = 20; $c["ci_low"] = el; $c["ci_high"] = eh
			$c["net_ci_low"] = nl; $c["net_ci_high"] = nh } 1' \
		"$csv" >"$TMP/mx20/$host/run/overhead.csv"
	"$BIN" matrix-report "$TMP/mx20" >/dev/null 2>"$TMP/err"
	tables=$(sed -n '/^### Native timings/,/^###* [^N]/p' "$TMP/mx20/report.md")
	check "matrix net_ns cell from 20 rounds: median [net_ci_low, net_ci_high] n=20 ($n [$nl, $nh] n=20)" \
		grep -qF "| $n [$nl, $nh] n=20 " <<<"$(sed -n '/(`net_ns`/,/(`ns_per_event`/p' <<<"$tables" | grep '^| inline ')"
	check "matrix ns_per_event cell from 20 rounds: median [ci_low, ci_high] n=20 ($e [$el, $eh] n=20)" \
		grep -qF "| $e [$el, $eh] n=20 " <<<"$(sed -n '/(`ns_per_event`/,$p' <<<"$tables" | grep '^| inline ')"
else
	skip "results/example-matrix is not in this tree: no matrix run to report on"
fi

# ---- the column reference ----
"$BIN" report --columns >"$TMP/columns.md"
check_eq "report --columns exits 0" "$?" 0
for f in run.env sizes.csv overhead.csv overhead-rounds.csv overhead-pairs.csv hammer.csv hyperfine.csv \
	hyperfine-runs.csv iperf.csv sweep.csv; do
	check "--columns documents $f" grep -qx "### $f" "$TMP/columns.md"
done
for c in $(head -n1 "$FIX/sizes.csv" | tr , ' '); do
	grep -q "^| \`$c\` " "$TMP/columns.md" || fail "--columns lacks sizes.csv column $c"
done
# README carries the reference between markers; it must be the same text.
if grep -q '<!-- columns:begin -->' README.md 2>/dev/null; then
	sed -n '/<!-- columns:begin -->/,/<!-- columns:end -->/p' README.md | sed '1d;$d' >"$TMP/readme-columns.md"
	check "README's column reference matches report --columns (scripts/readme-columns.sh)" \
		cmp -s "$TMP/readme-columns.md" "$TMP/columns.md"
else
	skip "README.md has no <!-- columns:begin --> marker"
fi

finish

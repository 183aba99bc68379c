#!/usr/bin/env bash
# The cross-checks on this kernel: hyperfine with rounds as its statistical
# units (10 rounds x 1 short storm per cell: every ok variant has 10 rounds,
# an interval over them around its estimate, the runs file 10 rows per cell)
# and the iperf3 smoke check (one row per cell, every stream run); in both
# only a variant that sizes finds refused by this kernel at the same attach
# mode may fail, in the same words; nothing left loaded or attached after.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

variants=$(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def)
ncells=$(($(wc -w <<<"$variants") + 1))

# ---- what this kernel refuses, by sizes (the same loader, primary mode) ----
"$BIN" sizes --attach auto -o "$TMP/sizes.csv" >/dev/null 2>"$TMP/sizes.err"
check_eq "sizes --attach auto exits 0" "$?" 0
csv2tsv "$TMP/sizes.csv" >"$TMP/sizes.tsv"
# refused VARIANT MODE REASON: sizes has VARIANT skipped or failed at MODE,
# and its words are in REASON (a failed cross-check row must be that refusal,
# not a failure of the method's own).
refused() {
	local st why
	st=$(field "$TMP/sizes.tsv" status variant "$1" attach "$2" program TOTAL)
	why=$(field "$TMP/sizes.tsv" reason variant "$1" attach "$2" program TOTAL)
	[[ ($st == skipped || $st == failed) && -n $why && $3 == *"$why"* ]]
}

# ---- hyperfine ----
if ! command -v hyperfine >/dev/null; then
	skip "hyperfine not installed (apt-get install hyperfine): hyperfine checks"
else
	"$BIN" hyperfine -o "$TMP/hf" --rounds 10 --runs 1 --connections 300 >"$TMP/out" 2>"$TMP/err"
	check_eq "hyperfine --rounds 10 --runs 1 exits 0" "$?" 0
	csv2tsv "$TMP/hf/hyperfine.csv" >"$TMP/hf.tsv"
	csv2tsv "$TMP/hf/hyperfine-runs.csv" >"$TMP/runs.tsv"
	check_eq "hyperfine.csv: one row per cell" "$(($(wc -l <"$TMP/hf.tsv") - 1))" "$ncells"
	for v in none $variants; do
		status=$(field "$TMP/hf.tsv" status variant "$v")
		if [ "$status" = failed ]; then
			why=$(field "$TMP/hf.tsv" reason variant "$v")
			check "$v: failed where sizes finds it refused, in the kernel's words ($why)" \
				refused "$v" "$(field "$TMP/hf.tsv" attach variant "$v")" "$why"
			continue
		fi
		check_eq "$v: ok" "$status" ok
		check_eq "$v: 10 rounds, the units" "$(field "$TMP/hf.tsv" rounds variant "$v")" 10
		check_eq "$v: 10 runs in hyperfine-runs.csv" \
			"$(field "$TMP/runs.tsv" round variant "$v" | wc -l)" 10
		check_eq "$v: every round 0..9 once" \
			"$(field "$TMP/runs.tsv" round variant "$v" | sort -n | uniq | tr '\n' ' ')" "0 1 2 3 4 5 6 7 8 9 "
		[ "$v" = none ] && continue
		est=$(field "$TMP/hf.tsv" added_us_per_conn variant "$v")
		lo=$(field "$TMP/hf.tsv" added_ci_low variant "$v")
		hi=$(field "$TMP/hf.tsv" added_ci_high variant "$v")
		check "$v: an interval over 10 rounds around its estimate ($lo <= $est <= $hi)" \
			awk -v l="$lo" -v e="$est" -v h="$hi" 'BEGIN { exit !(l != "" && h != "" && l + 0 <= e + 0 && e + 0 <= h + 0) }'
	done
	check "no hyperfine scratch file left" test -z "$(find "$TMP/hf" -name '.hyperfine-*')"
	check_nothing_left "hyperfine: nothing of ours left loaded or attached"
fi

# ---- iperf ----
if ! command -v iperf3 >/dev/null; then
	skip "iperf3 not installed (apt-get install iperf3): iperf checks"
else
	"$BIN" iperf -o "$TMP/ip" --rounds 1 >"$TMP/out" 2>"$TMP/err"
	check_eq "iperf --rounds 1 exits 0" "$?" 0
	csv2tsv "$TMP/ip/iperf.csv" >"$TMP/ip.tsv"
	check_eq "iperf.csv: one row per cell" "$(($(wc -l <"$TMP/ip.tsv") - 1))" "$ncells"
	check_eq "the no-program stream ran" "$(field "$TMP/ip.tsv" status variant none)" ok
	for v in $variants; do
		status=$(field "$TMP/ip.tsv" status variant "$v")
		case $status in
		ok | flagged) pass "$v: $status" ;;
		failed)
			# Only a variant the kernel refuses may fail (sizes says
			# which); a stream that failed is a bug of the method.
			why=$(field "$TMP/ip.tsv" reason variant "$v")
			check "$v: failed where sizes finds it refused, in the kernel's words ($why)" \
				refused "$v" "$(field "$TMP/ip.tsv" attach variant "$v")" "$why"
			;;
		*) fail "$v: status '$status'" ;;
		esac
	done
	check "no iperf scratch file left" test -z "$(find "$TMP/ip" -name '.iperf*')"
	check_nothing_left "iperf: nothing of ours left loaded or attached"
fi
finish

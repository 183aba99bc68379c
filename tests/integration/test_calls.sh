#!/usr/bin/env bash
# calls --quick: rows for every variant at every trigger and attach mode,
# refusals in the kernel's words, exact trigger counts in every cell,
# intervals that hold their estimates, linearity checked at the synthetic
# trigger, the JIT attribution cross-checked against bpftool (the same
# program ids, seen while loaded: bytes_jited) and against the image's own
# function count (one direct bpf2bpf call per call variant), attribution
# again from the files alone, and nothing of ours left loaded.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# "ID NAME BYTES_JITED" of every program of ours, every 0.1 s while the run
# goes (bounded: the loop ends with the run, or after 120 s).
poll_bpftool() {
	local end=$(($(now_ms) + 120000))
	while [ "$(now_ms)" -lt "$end" ] && [ ! -e "$TMP/done" ]; do
		bpftool prog show 2>/dev/null | awk '
			/^[0-9]+: / { id = $1; sub(":", "", id); name = ""
				for (i = 1; i < NF; i++) if ($i == "name") name = $(i + 1) }
			/ jited [0-9]+B/ { for (i = 1; i < NF; i++) if ($i == "jited") { b = $(i + 1); sub("B", "", b)
				if (name ~ /^(sy|tpb|tp)_/) print id, name, b } }'
		sleep 0.1
	done >"$TMP/seen"
}
poll_bpftool &
poller=$!
"$BIN" calls --quick --connections 1500 -o "$TMP/c" >"$TMP/out" 2>"$TMP/err"
rc=$?
touch "$TMP/done"
wait "$poller"
check_eq "calls --quick exits 0" "$rc" 0
[ "$rc" -eq 0 ] || tail -n 5 "$TMP/err"
csv=$TMP/c/calls.csv
for f in calls.csv calls-rounds.csv calls-bpf-stats.csv calls-attribution.csv; do
	check "$f written" test -s "$TMP/c/$f"
done
header=$(head -n1 "$csv")
for c in kernel variant attach trigger k_values ns_per_call ci_low ci_high fixed_ns \
	mech_ns_vs_inline mech_ci_low mech_ci_high linearity status reason; do
	grep -q "\(^\|,\)$c\(,\|$\)" <<<"$header" || fail "calls.csv: column $c missing"
done

# Columns by name; the files quote no field these read except reason,
# which is read last through the CSV-aware awk below.
by_name() { # FILE COLUMN AWK-CONDITION (on the row, fields by name in f[])
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
		{ for (i = 1; i <= NF; i++) f[h[i]] = $i; if ('"$3"') print f[c] }' "$1"
}

variants=$(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def)
# Variants with an ext object (variants.def: freplace) may be refused where
# the others load (extension programs need what fentry needs; the synthetic
# trigger's socket is not a trusted pointer): then in the kernel's words.
with_ext=" $(sed -n 's/^VARIANT(\([a-z0-9_]*\), *[A-Z]*, *[a-z0-9_-]*, *[a-z0-9_]\+,.*/\1/p' variants/variants.def | tr '\n' ' ') "
modes="tp_btf tracepoint fentry kprobe"
for v in $variants; do
	st=$(by_name "$csv" status 'f["variant"] == "'"$v"'" && f["trigger"] == "synthetic"')
	if [[ $with_ext == *" $v "* && $st == failed ]]; then
		why=$(grep ",$v,tp_btf,synthetic," "$csv" | cut -d, -f34- | cut -c1-160)
		check "$v: synthetic row failed, in the kernel's words ($why)" test -n "$why"
		continue
	fi
	check_eq "$v: a synthetic row, ok" "$st" ok
	for m in $modes; do
		st=$(by_name "$csv" status 'f["variant"] == "'"$v"'" && f["trigger"] == "storm" && f["attach"] == "'"$m"'"')
		[ -n "$st" ] || fail "$v @ $m: no storm row"
	done
done
# The modes this kernel refuses: skipped, every variant, with the kernel's
# words; the ones it takes: ok.
for m in $modes; do
	ext_ok=$(for v in $with_ext; do by_name "$csv" status 'f["trigger"] == "storm" && f["attach"] == "'"$m"'" && f["variant"] == "'"$v"'" && f["status"] == "failed" && f["reason"] != ""'; done)
	[ -z "$ext_ok" ] || pass "storm @ $m: the ext variants refused, with the kernel's words"
	sts=$(for v in $variants; do [[ -n $ext_ok && $with_ext == *" $v "* ]] ||
		by_name "$csv" status 'f["trigger"] == "storm" && f["attach"] == "'"$m"'" && f["variant"] == "'"$v"'"'; done | sort -u | tr '\n' ' ')
	case $sts in
	"ok ") pass "storm @ $m: every variant ok" ;;
	"skipped ")
		why=$(awk -v m="$m" -F, 'NR > 1 && $3 == m && $4 == "storm" { print; exit }' "$csv")
		check "storm @ $m: skipped, in the kernel's words ($(cut -c1-120 <<<"$why"))" \
			grep -qE 'Operation not permitted|kprobe|No such file|Invalid argument' <<<"$why" ;;
	*) fail "storm @ $m: statuses '$sts'" ;;
	esac
done

rounds=$TMP/c/calls-rounds.csv
bad=$(by_name "$rounds" round 'f["cell"] == "k" && f["triggers"] + f["left_out"] != f["expected"]' | wc -l)
cells=$(by_name "$rounds" round 'f["cell"] == "k"' | wc -l)
check "exact counts: triggers + left_out == expected in every one of $cells cells" test "$bad" -eq 0 -a "$cells" -gt 0
check_eq "every synthetic cell fired runs x batch = 2 x 100 triggers" \
	"$(by_name "$rounds" expected 'f["cell"] == "k" && f["trigger"] == "synthetic"' | sort -u)" 200
check_eq "every storm cell: 2 opens per connection" \
	"$(by_name "$rounds" expected 'f["cell"] == "k" && f["trigger"] == "storm"' | sort -u)" 3000
check_eq "no chain cut short" "$(by_name "$rounds" chain_fails 'f["cell"] == "k" && f["chain_fails"] > 0' | wc -l)" 0

# Intervals hold their estimates; the synthetic rows have them (3 loads).
ord=$(by_name "$csv" variant 'f["status"] == "ok" && f["ci_low"] != "" && !(f["ci_low"] <= f["ns_per_call"] && f["ns_per_call"] <= f["ci_high"])')
check "ci_low <= ns_per_call <= ci_high on every row with an interval" test -z "$ord"
ord=$(by_name "$csv" variant 'f["mech_ci_low"] != "" && !(f["mech_ci_low"] <= f["mech_ns_vs_inline"] && f["mech_ns_vs_inline"] <= f["mech_ci_high"])')
check "mech_ci_low <= mech_ns_vs_inline <= mech_ci_high" test -z "$ord"
n=$(by_name "$csv" variant 'f["trigger"] == "synthetic" && f["mech_ci_low"] != ""' | wc -l)
m=$(by_name "$csv" variant 'f["trigger"] == "synthetic" && f["status"] == "ok"' |
	while read -r v; do grep -cE "^VARIANT\($v, (CALL|TAILCALL|REFERENCE)," variants/variants.def; done |
	awk '{ s += $1 } END { print s + 0 }')
check_eq "synthetic: every call mechanism measured there compared with inline (intervals)" "$n" "$m"
# Linearity on every synthetic ok row is what calls_summary.c writes for a
# checked sweep (the default K have pairs K, 2K): ok or fail. Empty,
# "unchecked" or anything else fails, as does having no such row.
nlin=$(by_name "$csv" variant 'f["trigger"] == "synthetic" && f["status"] == "ok"' | wc -l)
badlin=$(by_name "$csv" variant 'f["trigger"] == "synthetic" && f["status"] == "ok" && f["linearity"] != "ok" && f["linearity"] != "fail"' | tr '\n' ' ')
check "synthetic: linearity ok or fail on all $nlin ok rows${badlin:+ (not on: $badlin)}" \
	test -z "$badlin" -a "$nlin" -gt 0
verdicts=$(by_name "$csv" verdict 'f["verdict"] != ""' | sort -u)
check "verdicts are costlier, cheaper or not distinguishable ($(tr '\n' ';' <<<"$verdicts"))" \
	test -z "$(grep -vxE 'costlier|cheaper|not distinguishable|' <<<"$verdicts")"
stats=$(by_name "$TMP/c/calls-bpf-stats.csv" stats_ns 'f["trigger"] == "synthetic"')
check "kernel.bpf_stats_enabled measured: ${stats:-none} ns per program run" \
	awk -v s="$stats" 'BEGIN { exit !(s > 0) }'

# Attribution: every row counted; call variants one bpf2bpf call into a
# second JIT function, the others one function; bytes = the image file =
# bpftool's bytes_jited for the same program id.
attr=$TMP/c/calls-attribution.csv
check_eq "attribution: every row ok" "$(by_name "$attr" status 'f["status"] != "ok"' | wc -l)" 0
for v in $variants; do
	kind=$(sed -n "s/^VARIANT($v, *\([A-Z]*\),.*/\1/p" variants/variants.def)
	row="f[\"variant\"] == \"$v\" && f[\"trigger\"] == \"storm\" && f[\"attach\"] == \"tp_btf\" && f[\"program\"] == \"tpb_active\""
	[ "$(by_name "$csv" status 'f["variant"] == "'"$v"'" && f["trigger"] == "storm" && f["attach"] == "tp_btf"')" = ok ] || continue
	funcs=$(by_name "$attr" funcs "$row")
	calls=$(by_name "$attr" bpf_calls "$row")
	if [ "$kind" = CALL ]; then
		check_eq "$v: one direct call per JIT function beyond the first ($funcs funcs)" "$calls" $((funcs - 1))
		check_eq "$v: two JIT functions" "$funcs" 2
	else
		check_eq "$v: one JIT function, no bpf2bpf call" "$funcs/$calls" 1/0
	fi
done
check_eq "tailcall: the hop jumps (a patched tail call)" \
	"$(by_name "$attr" tail_jumps 'f["variant"] == "tailcall" && f["program"] == "sy_active_tc"')" 1
mism=0 matched=0
while IFS=, read -r id bytes image; do
	[ -n "$id" ] || continue
	size=$(stat -c %s "$TMP/c/dumps/calls-jit/$image.bin")
	[ "$size" = "$bytes" ] || { mism=$((mism + 1)); echo "  $image: bytes $bytes, file $size"; }
	seen=$(awk -v i="$id" '$1 == i { print $3; exit }' "$TMP/seen")
	if [ -n "$seen" ]; then
		matched=$((matched + 1))
		[ "$seen" = "$bytes" ] || { mism=$((mism + 1)); echo "  prog $id: bytes $bytes, bpftool $seen"; }
	fi
done < <(by_name "$attr" prog_id 'f["status"] == "ok"' | paste -d, - <(by_name "$attr" bytes 'f["status"] == "ok"') <(by_name "$attr" image 'f["status"] == "ok"'))
check_eq "attribution bytes = image file size = bpftool bytes_jited" "$mism" 0
check "bpftool saw $matched of the attributed programs while they were loaded" test "$matched" -ge 3

cp "$attr" "$TMP/attr.first"
"$BIN" calls --attribute "$TMP/c" 2>"$TMP/attr.err"
check "calls --attribute recounts the kept images to the same file" cmp -s "$attr" "$TMP/attr.first"
# The run summarised from the calls-rounds.csv it wrote (not from its
# unrounded numbers in memory): --summarize gives its files byte for byte.
cp "$csv" "$TMP/calls.first" && cp "$TMP/c/calls-bpf-stats.csv" "$TMP/stats.first"
"$BIN" calls --summarize "$TMP/c" 2>"$TMP/sum.err"
check "calls --summarize gives the run's own calls.csv byte for byte" cmp -s "$csv" "$TMP/calls.first"
check "...and its calls-bpf-stats.csv" cmp -s "$TMP/c/calls-bpf-stats.csv" "$TMP/stats.first"
check_nothing_left "nothing of ours left loaded or attached"
finish

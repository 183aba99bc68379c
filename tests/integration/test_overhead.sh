#!/usr/bin/env bash
# overhead --quick with an unrelated loopback connection loop beside it:
# summary rows for every variant and output, events == 2 x connections, no
# drops, and the foreign traffic visible as foreign_runs rather than in the
# event counts.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# The unrelated loop: connections in the host namespace for as long as the
# measurement runs (bounded: 120 s at most).
"$BIN" hammer --duration 120 --threads 1 --inflight 2 --quiet >/dev/null 2>&1 &
noise=$!
"$BIN" overhead --quick -o "$TMP/oh" >"$TMP/out" 2>"$TMP/err"
rc=$?
kill -INT "$noise" 2>/dev/null
wait "$noise" 2>/dev/null
check_eq "overhead --quick exits 0" "$rc" 0
csv=$TMP/oh/overhead.csv
check "overhead.csv written" test -s "$csv"
header=$(head -n1 "$csv")
for col in kernel variant attach output rounds connections events drops ns_per_run ns_per_event \
	ci_low ci_high net_ns net_ci_low net_ci_high conn_per_s rate_vs_none_pct rate_ci_low \
	rate_ci_high cpu_us_per_conn foreign_runs; do
	grep -q "\(^\|,\)$col\(,\|$\)" <<<"$header" || fail "column $col missing"
done

variants=$(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def)
for out in none ringbuf-nowakeup ringbuf perfbuf; do
	for v in $variants; do
		row=$(awk -F, -v v="$v" -v o="$out" '$2 == v && $4 == o' "$csv")
		# A variant with an ext object (variants.def) that this kernel
		# refuses outright (EPERM) is left out, in the kernel's words.
		why=$(grep "^overhead: $v/$out @ [a-z_]*: left out: load failed: prog '[a-z_]*': BPF program load failed: Operation not permitted$" "$TMP/err")
		if [ -z "$row" ] && [ -n "$why" ] &&
			grep -q "^VARIANT($v, *[A-Z]*, *[a-z0-9_-]*, *[a-z0-9_]\+," variants/variants.def; then
			pass "$v/$out: left out here, in the kernel's words: ${why#*left out: }"
			continue
		fi
		if [ -z "$row" ]; then
			fail "$v/$out: no summary row"
			continue
		fi
		conns=$(col "$header" "$row" connections)
		check_eq "$v/$out: events == 2 x connections" "$(col "$header" "$row" events)" $((2 * conns))
		check_eq "$v/$out: no drops" "$(col "$header" "$row" drops)" 0
		check_eq "$v/$out: status" "$(col "$header" "$row" status)" ok
		lo=$(col "$header" "$row" ci_low) hi=$(col "$header" "$row" ci_high) med=$(col "$header" "$row" ns_per_event)
		n=$(col "$header" "$row" rounds)
		if [ "$n" -lt 10 ]; then # a bootstrap over so few is far too narrow: none
			check "$v/$out: no interval from $n rounds ('$lo', '$hi'), a median $med > 0" \
				awk -v l="$lo$(col "$header" "$row" net_ci_low)$(col "$header" "$row" net_ci_high)" -v m="$med" \
				'BEGIN { exit !(l == "" && m > 0) }'
		else
			check "$v/$out: CI [$lo, $hi] contains the median $med" \
				awk -v l="$lo" -v h="$hi" -v m="$med" 'BEGIN { exit !(l <= m && m <= h && l > 0) }'
		fi
	done
done
# Columns by name (awk: the files quote no field these read).
by_name() { # FILE COLUMN AWK-CONDITION-ON-v: the rows' values where it holds
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
		{ v = $n; if ('"$3"') print v }' "$1"
}
foreign=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "foreign_runs") f = i; if ($i == "variant") w = i }; next }
	$w != "none" { s += $f } END { print s + 0 }' "$csv")
check "the unrelated loop shows up as foreign_runs ($foreign), not as events" test "$foreign" -gt 0
rounds=$(by_name "$TMP/oh/overhead-rounds.csv" status 'v == "warmup"' | wc -l)
check "warm-up round kept and marked ($rounds storms)" test "$rounds" -gt 0
# --quick's 3 rounds are too few for a test: every pair says so.
check_eq "pairs of a 3-round run are not tested" \
	"$(by_name "$TMP/oh/overhead-pairs.csv" verdict 'v !~ /^not tested/' | wc -l)" 0
check "...but carry their difference" test "$(by_name "$TMP/oh/overhead-pairs.csv" diff_ns 'v != ""' | wc -l)" -gt 0
family=$(by_name "$TMP/oh/overhead-pairs.csv" family 'v != ""' | sort -u)
check_eq "each family: every pair of the 6 variants at one attach x output" "$family" 15
check_nothing_left "nothing of ours left loaded or attached"
finish

#!/usr/bin/env bash
# The sweep's generated sources build with clang 14 (Debian 12's default) and
# clang 19, through the Makefile's own rules and flags (-mcpu=v3): a small
# sample, one object of each shape and kind of call, 1 to 8 call sites. Both
# sets load on this kernel with the same verdicts; every figure that differs
# between them is recorded, in this test's output and in
# build/sweep/clang-diff.txt (a difference is a result, not a failure).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

A=${CLANG_A:-clang-14} B=${CLANG_B:-clang-19}
for cc in "$A" "$B"; do
	if ! command -v "$cc" >/dev/null; then
		skip "$cc is not installed (apt-get install $cc): no comparison of $A and $B"
		finish
	fi
done
SAMPLE="calls-inline-core-s0 calls-noinline-core-s0 calls-global-btf-s0 calls-global-btf-s16
	calls-linked-core-s0 loop-noinline-core-s0 bpfloop-global-core-s0 progs-tailcall-core-s0"
OUT=build/sweep/clang-diff.txt

for cc in "$A" "$B"; do
	objs=""
	for o in $SAMPLE; do objs="$objs $TMP/$cc/sweep/quick/$o.bpf.o"; done
	start=$(now_ms)
	# -B: nothing from the main build; the quick list of call sites cut to 8.
	env -u MAKEFLAGS -u MFLAGS make -s BUILD="$TMP/$cc" CLANG="$cc" SWEEP_CALLS_QUICK="1 2 4 8" \
		$objs >"$TMP/$cc.log" 2>&1
	check_eq "$cc builds the sample's generated sources ($(seconds_since "$start") s; $(tail -n1 "$TMP/$cc.log"))" "$?" 0
	mkdir -p "$TMP/objs-$cc"
	cp $objs "$TMP/objs-$cc/" 2>/dev/null
	check_eq "$cc: $(wc -w <<<"$SAMPLE") objects" "$(ls "$TMP/objs-$cc" | wc -l)" "$(wc -w <<<"$SAMPLE")"
done
{
	echo "# The sweep's sample objects from $($A --version | head -n1) and $($B --version | head -n1),"
	echo "# -mcpu=v3, loaded on $(uname -r); written by tests/integration/test_sweep_clang.sh."
	echo "# Function sizes (bytes, readelf), then every static figure of sweep.csv that differs."
} >"$TMP/diff"
# Function sizes, object by object.
for o in $SAMPLE; do
	for cc in "$A" "$B"; do
		readelf -sW "$TMP/objs-$cc/$o.bpf.o" 2>/dev/null |
			awk '$4 == "FUNC" && $3 > 0 { print $8, $3 }' | sort >"$TMP/f-$cc"
	done
	join -a1 -a2 -e - -o 0,1.2,2.2 "$TMP/f-$A" "$TMP/f-$B" |
		awk -v o="$o" '$2 != $3 { print o ": " $1 " " $2 " -> " $3 " bytes" }' >>"$TMP/diff"
done

# Loaded: the quick grid over each set.
for cc in "$A" "$B"; do
	"$BIN" sweep --quick -q --objects "$TMP/objs-$cc" -o "$TMP/run-$cc" >/dev/null 2>"$TMP/err-$cc"
	check_eq "the $cc sample loads through sweep --objects ($(tail -n1 "$TMP/err-$cc"))" "$?" 0
	csv2tsv "$TMP/run-$cc/sweep.csv" >"$TMP/$cc.tsv"
done
# key -> static figures (timings left out), per compiler.
keyed() {
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{
		printf "%s/%s/%s/%s/n=%s", $(c["axis"]), $(c["variant"]), $(c["style"]), $(c["attach"]), $(c["n"])
		split("status elf_code_bytes insn_cnt verified_insns total_states peak_states stack_depth xlated_bytes jited_bytes jited_funcs", m, " ")
		for (k = 1; k <= 10; k++) printf "\t%s=%s", m[k], $(c[m[k]])
		printf "\n"
	}' "$1" | sort
}
keyed "$TMP/$A.tsv" >"$TMP/k-$A"
keyed "$TMP/$B.tsv" >"$TMP/k-$B"
check_eq "the same points on both ($(wc -l <"$TMP/k-$A") rows)" \
	"$(cut -f1 "$TMP/k-$A" | md5sum)" "$(cut -f1 "$TMP/k-$B" | md5sum)"
check_eq "the same verdicts on both" "$(cut -f1,2 "$TMP/k-$A" | md5sum)" "$(cut -f1,2 "$TMP/k-$B" | md5sum)"
paste "$TMP/k-$A" "$TMP/k-$B" | awk -F'\t' '{
	h = NF / 2; line = ""
	for (k = 2; k <= h; k++) if ($k != $(k + h)) { split($(k + h), b, "="); line = line " " $k "->" b[2] }
	if (line != "") print $1 ":" line
}' >>"$TMP/diff"
rows=$(grep -vc '^#' "$TMP/diff")
mkdir -p "$(dirname "$OUT")" && cp "$TMP/diff" "$OUT"
pass "$rows differences between $A and $B recorded in $OUT"
grep -v '^#' "$TMP/diff" | head -n 12 | sed 's/^/  /'
[[ $rows -gt 12 ]] && echo "  ... ($((rows - 12)) more in $OUT)"
check_nothing_left "no sweep program left loaded"
finish

#!/usr/bin/env bash
# The freplace variant on this kernel: every method reaches it through the
# loader like any variant. Where the kernel refuses the extension program
# (this 6.18 host: EPERM, no verifier log), sizes has a skipped row and
# trace and hammer fail, all in the kernel's words, with nothing left loaded
# (the hooks were loaded before the refusal). Where it loads, trace prints
# the extension's lines. The VM test (test_vm.sh) sees it load on 6.1.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

V=freplace
EXT=$(sed -n "s/^VARIANT($V, *[A-Z]*, *[a-z0-9_-]*, *\([a-z0-9_]*\),.*/\1/p" variants/variants.def)
check "variants.def gives $V an ext object ($EXT)" test -n "$EXT"
WORDS="BPF program load failed: Operation not permitted"

"$BIN" sizes --variant empty,$V --attach all -o "$TMP/sizes.csv" 2>"$TMP/sizes.err"
check_eq "sizes exit status" "$?" 0
header=$(head -n1 "$TMP/sizes.csv")
total() { grep "^[^,]*,$1,$2,TOTAL," "$TMP/sizes.csv"; }
loads=""
for mode in fentry kprobe tp_btf tracepoint; do
	base=$(total empty "$mode")
	row=$(total "$V" "$mode")
	st=$(col "$header" "$row" status)
	why=$(col "$header" "$row" reason)
	check_eq "$V @ $mode: TOTAL covers both objects" "$(col "$header" "$row" object)" hooks+ext
	check_eq "$V @ $mode: elf_file_bytes = both objects (stat)" \
		"$(col "$header" "$row" elf_file_bytes)" \
		"$(($(stat -c %s build/$V.bpf.o) + $(stat -c %s build/$EXT.bpf.o)))"
	if [ "$(col "$header" "$base" status)" != ok ]; then
		check_eq "$V @ $mode: skipped with the mode (the baseline was)" "$st" skipped
		check_eq "$V @ $mode: the baseline's words" "$why" "$(col "$header" "$base" reason)"
	elif [ "$st" = skipped ]; then
		# the mode's extension program: its prefix (bpf/hooks.bpf.h) + ext
		case $mode in tp_btf) prefix=tpb_ ;; tracepoint) prefix=tp_ ;; kprobe) prefix=kp_ ;; *) prefix=fe_ ;; esac
		check "$V @ $mode: the extension refused, in the kernel's words: $why" \
			grep -qx "prog '${prefix}ext': $WORDS" <<<"$why"
		refused=$mode
	else
		check_eq "$V @ $mode: loads (where the kernel takes extensions)" "$st" ok
		ext_row=$(grep "^[^,]*,$V,$mode,[a-z]*_ext," "$TMP/sizes.csv")
		check_eq "$V @ $mode: the extension's row" "$(col "$header" "$ext_row" object)" ext
		loads=$mode
	fi
done
check "the kernel refused or took the extension in a mode the baseline loads in" \
	test -n "${refused:-}${loads}"
check_nothing_left "nothing of ours left loaded after sizes"

if [ -n "${refused:-}" ]; then
	# The same words from trace and from a storm with the variant attached.
	timeout "$WAIT_SLOW" "$BIN" trace --variant $V --attach "$refused" --duration 1 \
		>"$TMP/trace.out" 2>"$TMP/trace.err"
	check_eq "trace --variant $V at $refused exits 1" "$?" 1
	check "trace says why, in the kernel's words: $(tail -n1 "$TMP/trace.err")" \
		grep -q "^trace: $V @ $refused: load failed: prog '[a-z]*_ext': $WORDS\$" "$TMP/trace.err"
	check_eq "trace printed no line" "$(wc -l <"$TMP/trace.out")" 0
	check_nothing_left "nothing left loaded after the refused trace (its hooks had loaded)"
	timeout "$WAIT_SLOW" "$BIN" hammer --variant $V --attach "$refused" --netns \
		--connections 10 --quiet >/dev/null 2>"$TMP/hammer.err"
	check "hammer --variant $V fails with the kernel's words" \
		grep -q "^hammer: $V @ $refused: load failed: prog '[a-z]*_ext': $WORDS\$" "$TMP/hammer.err"
	check_nothing_left "nothing left loaded after the refused storm"
fi
if [ -n "$loads" ]; then
	"$BIN" trace --variant $V --attach "$loads" >"$TMP/trace.out" 2>"$TMP/trace.err" &
	pid=$!
	if await_line "$pid" "$TMP/trace.err" 'Ctrl-C to stop' "trace --variant $V attached"; then
		"$BIN" hammer --connections 5 --threads 1 --quiet >/dev/null 2>&1
		sleep 1
	fi
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	check "the extension printed the demo's lines ($(grep -c 'new tcp connection' "$TMP/trace.out"))" \
		test "$(grep -c 'new tcp connection: 127\.0\.0\.1' "$TMP/trace.out")" -ge 10
	check_nothing_left "nothing left loaded after trace --variant $V"
fi
finish

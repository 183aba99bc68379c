#!/usr/bin/env bash
# The VM path end to end on one Debian kernel (6.1): fetch (cached between
# runs), initramfs, boot under qemu, the harness in the guest, results back
# over the serial port; then check what came back: sizes.csv (kprobe and
# fentry load, figures non-zero and consistent), trace.txt, run.env,
# overhead.csv, sweep.csv (the quick sweep: global refused before 6.8),
# calls.csv (and its JIT images, counted on the host); the freplace variant
# (its extension loads, replaces the stub and prints the demo's lines, the
# kernel lists it among its JITed programs); and the same sizes run with the
# harness linked with the backports' libbpf
# (run-libbpf-<version>/), which makes other variants load or fail.
#
# Usage: tests/integration/test_vm.sh [--help]
#   env VM_SERIES (default 6.1), VM_TIMEOUT (default 600 s),
#   BIN_STATIC (default build/static/bpf2bpf-bench), VM_KEEP=1 keeps the
#   guest's results even when every check passed.
# The guest's files are kept on failure (the path is printed).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
	sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi
. tests/integration/lib.sh

SERIES=${VM_SERIES:-6.1}
# Boot + job took about 70 s on an idle 2-core host; TCG slows down with
# whatever else runs there, so the bound is generous.
TIMEOUT=${VM_TIMEOUT:-600}
STATIC=${BIN_STATIC:-build/static/bpf2bpf-bench}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/bpf2bpf-vm.XXXXXX")

# Variants allowed to fail on this kernel, with the kernel's words: global
# functions with BTF-typed arguments need arg:trusted (later kernels), a
# tail call from fentry is refused by 6.1, and so is freplace's stub called
# with a BTF pointer from fentry. Everything else must load.
MAY_FAIL=" global tailcall freplace "

done_checks() {
	if [[ ! -e $OUT/guest ]] || [[ $FAILED -eq 0 && ${VM_KEEP:-0} != 1 ]]; then
		rm -rf "$OUT"
	else
		echo "guest results kept in $OUT"
	fi
	finish
}

# --- preconditions: a clear failure, not a crash ---
if [[ ! -x $STATIC ]]; then
	fail "static harness $STATIC missing: build it with 'make static'"
	done_checks
fi
kdir=$(scripts/vm/fetch-kernel.sh "$SERIES" 2>"$OUT/fetch.err")
rc=$?
cat "$OUT/fetch.err"
if [[ $rc -ne 0 ]]; then
	fail "fetch the newest $SERIES cloud kernel: $(tail -n 1 "$OUT/fetch.err")"
	done_checks
fi
pass "fetched $(basename "$kdir")"

# The harness linked with the backports' libbpf (fetched with a private apt
# state, statically linked): the guest runs sizes with it too.
alt=() altver=""
if altdir=$(scripts/toolchain/build-harness.sh --libbpf backports 2>"$OUT/alt.err"); then
	altpkg=$(sed -n 's/^libbpf_package=//p' "$altdir/toolchain.env")
	altver=${altpkg#*:}
	altver=${altver%-*}
	alt=(--add "$altdir/static/bpf2bpf-bench:/bin/libbpf-$altver/bpf2bpf-bench")
	pass "built the harness with the backports' libbpf $altpkg"
else
	skip "no second libbpf build: $(grep -v '^  [A-Z-]* ' "$OUT/alt.err" | tail -n 1)"
fi

# --- boot ---
start=$(date +%s)
scripts/vm/mkinitramfs.sh --bin "$STATIC" "${alt[@]}" -o "$OUT/initrd.cpio.gz" >/dev/null ||
	{ fail "build the initramfs"; done_checks; }
scripts/vm/boot.sh --name "$(basename "$kdir")" --kernel "$kdir/vmlinuz" \
	--initrd "$OUT/initrd.cpio.gz" --out "$OUT/guest" --timeout "$TIMEOUT"
rc=$?
rm -f "$OUT/initrd.cpio.gz"
echo "boot + job: $(($(date +%s) - start)) s"
G=$OUT/guest
check_eq "boot.sh exit status (0: booted, ran, every step ok)" "$rc" 0
check "the guest reached init (console marker)" grep -qa 'BPF2BPF-VM: init' "$G/console.log"
check "results came back over the serial port" test -s "$G/job.env"
if [[ ! -s $G/run/sizes.csv ]]; then
	fail "run/sizes.csv came back"
	done_checks
fi
pass "run/sizes.csv came back"

# --- job.env and the guest's run.env (written by bench --vm) ---
env_get() { sed -n "s/^$1=//p" "$2" | tail -n 1; }
check "run.env kernel is the booted one ($(env_get kernel "$G/run/run.env"))" \
	test "$(env_get kernel "$G/run/run.env")" = "$(basename "$kdir")"
check_eq "run.env timing" "$(env_get timing "$G/run/run.env")" emulated
check_eq "run.env complete" "$(env_get complete "$G/run/run.env")" 1
check "run.env names the libbpf linked into the static harness" \
	grep -qE '^libbpf=v[0-9]+\.[0-9]+' "$G/run/run.env"
check "the guest wrote its own report" test -s "$G/run/report.md"
for s in bench trace trace_freplace ${altver:+libbpf_$altver}; do
	check_eq "guest step $s exit status" "$(env_get "step_$s" "$G/job.env")" 0
done

# --- sizes.csv ---
csv2tsv "$G/run/sizes.csv" >"$OUT/sizes.tsv"
T=$OUT/sizes.tsv
check_eq "every row has the header's field count" \
	"$(awk -F'\t' 'NR == 1 { n = NF } NF != n { bad++ } END { print bad + 0 }' "$T")" 0
check "every row is of the booted kernel" \
	test -z "$(field "$T" kernel | grep -vx "$(basename "$kdir")")"
for v in $(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def); do
	for mode in kprobe fentry; do
		st=$(field "$T" status variant "$v" attach "$mode" program TOTAL)
		if [[ -z $st ]]; then
			fail "$v @ $mode: no TOTAL row"
			continue
		fi
		if [[ $st != ok ]]; then
			why=$(field "$T" reason variant "$v" attach "$mode" program TOTAL)
			if [[ $MAY_FAIL == *" $v "* && $st == failed && -n $why ]]; then
				pass "$v @ $mode: refused, in the kernel's words: $why"
			else
				fail "$v @ $mode: TOTAL status $st: $why"
			fi
			continue
		fi
		pass "$v @ $mode: TOTAL ok"
		for c in elf_code_bytes insn_cnt verified_insns xlated_bytes jited_bytes jited_funcs; do
			x=$(field "$T" "$c" variant "$v" attach "$mode" program TOTAL)
			[[ $x =~ ^[0-9]+$ && $x -gt 0 ]] || fail "$v @ $mode: TOTAL $c is '$x', want > 0"
		done
		check_eq "$v @ $mode: verified_insns from bpf_prog_info (6.1 has it)" \
			"$(field "$T" verified_src variant "$v" attach "$mode" program TOTAL)" info
	done
done

# Every ok row: xlated is whole instructions; the JIT function lengths, when
# given, add up to jited_bytes and there are jited_funcs of them; TOTAL rows
# are the sums of their programs.
bad=$(awk -F'\t' '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$(c["status"]) != "ok" { next }
	{
		key = $(c["variant"]) " " $(c["attach"])
		if ($(c["xlated_bytes"]) % 8) print key " " $(c["program"]) ": xlated_bytes not a multiple of 8"
		if (("jited_func_lens" in c) && $(c["jited_func_lens"]) != "") {
			n = split($(c["jited_func_lens"]), lens, "+"); s = 0
			for (i = 1; i <= n; i++) s += lens[i]
			if (s != $(c["jited_bytes"]) || n != $(c["jited_funcs"]))
				print key " " $(c["program"]) ": jited_func_lens " $(c["jited_func_lens"]) " vs " $(c["jited_bytes"]) " bytes, " $(c["jited_funcs"]) " funcs"
			checked++
		}
		if ($(c["program"]) == "TOTAL") { tx[key] = $(c["xlated_bytes"]); tj[key] = $(c["jited_bytes"]) }
		else { sx[key] += $(c["xlated_bytes"]); sj[key] += $(c["jited_bytes"]) }
	}
	END {
		for (k in tx) if (tx[k] != sx[k] || tj[k] != sj[k])
			print k ": TOTAL " tx[k] "/" tj[k] " != sum of programs " sx[k] "/" sj[k]
		if (!checked) print "no row has jited_func_lens"
	}' "$T")
if [[ $bad == "no row has jited_func_lens" ]]; then
	skip "jited_func_lens sums: the column is not there yet"
	bad=""
fi
check "ok rows consistent (xlated/8, JIT function lengths, TOTAL = sum)" test -z "$bad"
[[ -z $bad ]] || echo "$bad" | head -n 5

check "verifier logs came back" test -n "$(ls "$G/run/verifier" 2>/dev/null)"

# --- trace smoke ---
lines=$(grep -c 'new tcp connection:' "$G/trace.txt" 2>/dev/null)
check "trace.txt has 'new tcp connection:' lines for the 20 connections (got ${lines:-0})" \
	test "${lines:-0}" -ge 20

# --- freplace: the extension replaced the stub (kprobe on 6.1) ---
ext=$(field "$T" program variant freplace attach kprobe object ext)
check_eq "freplace @ kprobe: one extension program, from the ext object" "$ext" kp_ext
check_eq "freplace @ kprobe: TOTAL covers both objects" \
	"$(field "$T" object variant freplace attach kprobe program TOTAL)" hooks+ext
x=$(field "$T" jited_bytes variant freplace attach kprobe program kp_ext)
check "freplace @ kprobe: the extension has a JIT image ($x bytes)" test "${x:-0}" -gt 0
why=$(field "$T" reason variant freplace attach fentry program TOTAL)
check "freplace @ fentry: refused in the kernel's words: $why" \
	grep -qE 'Caller passes invalid args|Cannot extend fentry/fexit' <<<"$why"
F=$G/trace-freplace-kprobe
lines=$(grep -cE 'new tcp connection: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+$' "$F.txt" 2>/dev/null)
check_eq "trace --variant freplace at kprobe: the extension's lines (20 connections x 2 opens)" \
	"${lines:-0}" 40
pairs=$(sed -n 's/.*new tcp connection: \(.*\) -> \(.*\)$/\1 \2/p' "$F.txt" 2>/dev/null |
	awk '{ s[$1 " " $2] = 1 } END { for (k in s) { split(k, a, " "); if ((a[2] " " a[1]) in s) n++ } print n + 0 }')
check_eq "...each connection seen from both ends" "$pairs" 40
check "...every open the hooks counted went through the extension: $(grep 'events received' "$F.err")" \
	grep -q '^trace: 40 events received; the hooks counted 20 active + 20 passive opens$' "$F.err"
# The kernel's own list of JITed programs, read while trace held them.
check "/proc/kallsyms listed the extension while attached: $(grep -o 'bpf_prog_[0-9a-f]*_kp_ext' "$F.kallsyms")" \
	grep -qE 'bpf_prog_[0-9a-f]+_kp_ext' "$F.kallsyms"
check "...beside the hooks it extends" grep -qE 'bpf_prog_[0-9a-f]+_kp_active' "$F.kallsyms"
for m in tp_btf tracepoint; do
	F=$G/trace-freplace-$m
	if grep -q 'load failed' "$F.err" 2>/dev/null; then
		check "freplace @ $m: refused in the kernel's words: $(grep 'load failed' "$F.err")" \
			grep -qE 'Caller passes invalid args|arg#0' "$F.err"
	else
		check_eq "freplace @ $m: the extension's lines" \
			"$(grep -c 'new tcp connection: 127' "$F.txt" 2>/dev/null)" 40
	fi
done

# --- the backports' libbpf: the same objects, another loader ---
if [[ -n $altver ]]; then
	A=$G/run-libbpf-$altver
	check "run-libbpf-$altver/sizes.csv came back" test -s "$A/sizes.csv"
	for d in "$G/run" "$A"; do
		pkg=$(env_get libbpf_package "$d/run.env")
		up=${pkg#*:}
		up=${up%%-*}
		lib=$(env_get libbpf "$d/run.env")
		check "$(basename "$d"): run.env names the libbpf linked, $lib, of package $pkg" \
			test -n "$pkg" -a "v${up%.*}" = "${lib}"
	done
	check_eq "run-libbpf-$altver: the package built against" \
		"$(env_get libbpf_package "$A/run.env")" "$altpkg"
	check_eq "run: the installed libbpf-dev" "$(env_get libbpf_package "$G/run/run.env")" \
		"$(dpkg-query -W -f='${Version}' libbpf-dev)"
	csv2tsv "$A/sizes.csv" >"$OUT/alt.tsv"
	a=$(field "$T" reason variant global attach kprobe program TOTAL)
	b=$(field "$OUT/alt.tsv" reason variant global attach kprobe program TOTAL)
	check "global @ kprobe: the libbpf changes the verifier's verdict ('$a' vs '$b')" \
		test -n "$a" -a -n "$b" -a "$a" != "$b"
fi

# --- overhead, marked emulated ---
if [[ -s $G/run/overhead.csv ]]; then
	csv2tsv "$G/run/overhead.csv" >"$OUT/overhead.tsv"
	check "overhead.csv has rows" test "$(wc -l <"$OUT/overhead.tsv")" -gt 1
	check "overhead.csv timing is emulated on every row" \
		test -z "$(field "$OUT/overhead.tsv" timing | grep -vx emulated)"
else
	fail "run/overhead.csv came back"
fi

# --- the quick sweep (bench --vm runs it from the objects built into the
# static binary): every axis, and global refused before 6.8 (no arg:trusted),
# in the verifier's words ---
if [[ -s $G/run/sweep.csv ]]; then
	W=$OUT/sweep.tsv
	csv2tsv "$G/run/sweep.csv" >"$W"
	for axis in calls loop bpf_loop progs size; do
		check "sweep.csv: axis $axis has rows" test -n "$(field "$W" axis axis "$axis")"
	done
	check_eq "sweep.csv: no point failed or was skipped" \
		"$(field "$W" status | grep -cvxE 'ok|refused|branch-range|timeout')" 0
	st=$(field "$W" status axis calls variant global style core attach tp_btf n 1)
	why=$(field "$W" reason axis calls variant global style core attach tp_btf n 1)
	case $SERIES in
	5.10 | 6.1)
		check "sweep: global refused at one call site, in the verifier's words: ${why:-(none)}" \
			test "$st" = refused -a -n "$why" ;;
	*) check_eq "sweep: global loads at one call site" "$st" ok ;;
	esac
	for v in inline noinline; do
		check_eq "sweep: $v loads at every call-site count" \
			"$(field "$W" status axis calls variant "$v" style core attach tp_btf | sort -u)" ok
	done
	check "the guest's report has the sweep's section" grep -qx '## Scaling sweep' "$G/run/report.md"
	check "...with the crossovers on the call-site axis" \
		grep -qE '^- On the calls axis \(tp_btf, CO-RE reads\): ' "$G/run/report.md"
else
	fail "run/sweep.csv came back"
fi

# --- calls: every variant at the synthetic trigger and at kprobe and fentry
# under the storm, emulated; refusals in the kernel's words; exact counts;
# the JIT images counted on the host (the guest has no objdump) ---
if [[ -s $G/run/calls.csv ]]; then
	csv2tsv "$G/run/calls.csv" >"$OUT/calls.tsv"
	C=$OUT/calls.tsv
	check "calls.csv timing is emulated on every row" \
		test -z "$(field "$C" timing | grep -vx emulated)"
	for v in $(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def); do
		for tm in "synthetic tp_btf" "storm kprobe" "storm fentry"; do
			read -r trig mode <<<"$tm"
			st=$(field "$C" status variant "$v" attach "$mode" trigger "$trig")
			why=$(field "$C" reason variant "$v" attach "$mode" trigger "$trig")
			if [[ -z $st ]]; then
				fail "calls: $v @ $trig/$mode: no row"
			elif [[ $st == ok ]]; then
				x=$(field "$C" ns_per_call variant "$v" attach "$mode" trigger "$trig")
				check "calls: $v @ $trig/$mode: ok, $x ns per call (emulated)" test -n "$x"
			elif [[ ($st == failed || $st == skipped) && -n $why ]]; then
				pass "calls: $v @ $trig/$mode: $st, in the kernel's words: $why"
			else
				fail "calls: $v @ $trig/$mode: status '$st', reason '$why'"
			fi
		done
	done
	check "calls: the storm ran at kprobe here (ok rows)" \
		test -n "$(field "$C" status attach kprobe trigger storm | grep -x ok)"
	csv2tsv "$G/run/calls-rounds.csv" >"$OUT/calls-rounds.tsv"
	bad=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$(c["cell"]) == "k" && $(c["triggers"]) + $(c["left_out"]) != $(c["expected"])' "$OUT/calls-rounds.tsv" | wc -l)
	check_eq "calls: exact counts in every cell" "$bad" 0
	csv2tsv "$G/run/calls-attribution.csv" >"$OUT/attr-guest.tsv"
	check "calls: the guest kept its images for the host (images-only, no objdump there)" \
		test -z "$(field "$OUT/attr-guest.tsv" status | grep -vx images-only)"
	"${REPORT_BIN:-build/bpf2bpf-bench}" calls --attribute "$G/run" 2>"$OUT/attr.err"
	csv2tsv "$G/run/calls-attribution.csv" >"$OUT/attr.tsv"
	A=$OUT/attr.tsv
	check "calls: every image counted on the host" \
		test -n "$(field "$A" status)" -a -z "$(field "$A" status | grep -vx ok)"
	bad=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$(c["funcs"]) != $(c["bpf_calls"]) + 1 { print $(c["variant"]) " " $(c["program"]) }' "$A" |
		grep -E '^(noinline|linked|global) ' || true)
	check "calls: every call variant's image: one direct bpf2bpf call per extra function" test -z "$bad"
else
	fail "run/calls.csv came back"
fi

# --- the cross-kernel report on this one kernel's results ---
REPORT_BIN=${REPORT_BIN:-build/bpf2bpf-bench}
if ! "$REPORT_BIN" matrix-report --help >/dev/null 2>&1; then
	skip "matrix-report: $REPORT_BIN has no matrix-report command"
else
	R=$OUT/run
	rel=$(basename "$kdir")
	mkdir -p "$R"
	ln -s "$G" "$R/$rel"
	{ cat "$kdir/kernel.env"; echo role=vm; } >"$G/kernel.env"
	echo "$rel" >"$R/columns"
	check "matrix-report writes report.md, kernels.csv and sizes.csv" "$REPORT_BIN" matrix-report "$R"
	check_eq "combined sizes.csv: the kernel's rows" \
		"$(($(wc -l <"$G/run/sizes.csv") - 1))" "$(($(wc -l <"$R/sizes.csv" 2>/dev/null || echo 1) - 1))"
	check "kernels.csv: the kernel, booted by TCG, timing emulated" \
		grep -q "^$rel,${SERIES//./\\.},$rel,.*,vm,tcg,emulated,.*,ok," "$R/kernels.csv"
	check "report.md has the kernel's column and the emulated timing section" \
		grep -q "Emulated timings" "$R/report.md"
	check "report.md: the trace smoke tests, the extension's 40 lines at kprobe" \
		grep -qE '^\| [^|]+ \| trace-freplace-kprobe +\| +40 \| 40 events received' "$R/report.md"
	if [[ -n $altver ]]; then
		check "report.md: what each libbpf lets load" grep -q "^## What each libbpf lets load" "$R/report.md"
		check "report.md: the libbpf changed global at kprobe" grep -qE '^\| [^|]+ \| global +\| kprobe +\|' \
			<(sed -n '/^### Where the libbpf changed the outcome/,/^##* [^W]/p' "$R/report.md")
	fi
fi

done_checks

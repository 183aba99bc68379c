#!/usr/bin/env bash
# Built without kernel BTF (bpf/vmlinux-fallback.h instead of a generated
# vmlinux.h), the variants and the sweep's objects must load to exactly the
# same programs: CO-RE relocates every field access against the running
# kernel.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

fb=$TMP/build
make -s BUILD="$fb" VMLINUX_BTF=/nonexistent "$fb/bpf2bpf-bench" >"$TMP/make.out" 2>&1
check "builds with the fallback header" test -x "$fb/bpf2bpf-bench"
check "says it used the fallback" grep -q 'using bpf/vmlinux-fallback.h' "$TMP/make.out"
# variant,attach,program,insn_cnt,verified_insns,xlated_bytes,jited_bytes,status
"$fb/bpf2bpf-bench" sizes 2>/dev/null | cut -d, -f2,3,4,8,9,14,15,18 >"$TMP/fallback.csv"
build/bpf2bpf-bench sizes 2>/dev/null | cut -d, -f2,3,4,8,9,14,15,18 >"$TMP/full.csv"
check "some programs loaded" test "$(grep -c ',ok$' "$TMP/full.csv")" -gt 0
check_eq "same programs in the kernel as with the full vmlinux.h" \
	"$(diff "$TMP/fallback.csv" "$TMP/full.csv" | head -5)" ""
# The sweep's objects too (their handler-size units read fields the fallback
# header declares only for them): same verdicts and verifier work.
# variant,axis,n,verified_insns,xlated_bytes,status,style
sweep_cut() { "$1" sweep --quick -q --axis calls,size -o "$2" >/dev/null 2>&1 && cut -d, -f2-4,7,12,16,18 "$2/sweep.csv"; }
sweep_cut "$fb/bpf2bpf-bench" "$TMP/sf" >"$TMP/sweep-fallback.csv"
sweep_cut build/bpf2bpf-bench "$TMP/sn" >"$TMP/sweep-full.csv"
check "the sweep's points loaded ($(grep -c ',ok,' "$TMP/sweep-full.csv"))" test "$(grep -c ',ok,' "$TMP/sweep-full.csv")" -gt 0
check_eq "...the same with the fallback header" "$(diff "$TMP/sweep-fallback.csv" "$TMP/sweep-full.csv" | head -5)" ""
finish

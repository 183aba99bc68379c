#!/usr/bin/env bash
# Built without kernel BTF (bpf/vmlinux-fallback.h instead of a generated
# vmlinux.h), the variants must load to exactly the same programs: CO-RE
# relocates every field access against the running kernel.
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
finish

#!/usr/bin/env bash
# A fresh clone of the current commit tracks nothing under build/ and
# generates build/vmlinux.h from the running kernel's BTF: its build log says
# "GEN build/vmlinux.h" and the file equals bpftool's C dump of
# /sys/kernel/btf/vmlinux. Cheap: the clone builds vmlinux.h and one BPF
# object, nothing else.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

BTF=/sys/kernel/btf/vmlinux
if ! head=$(git rev-parse --verify -q HEAD 2>/dev/null); then
	skip "not a git checkout (git rev-parse HEAD failed): no commit to clone"
	finish
fi
check_eq "git ls-files build is empty" "$(git ls-files build)" ""
if [ ! -e "$BTF" ]; then
	skip "$BTF is absent: this kernel exposes no BTF (CONFIG_DEBUG_INFO_BTF), so a build uses bpf/vmlinux-fallback.h instead (test_fallback_vmlinux covers that)"
	finish
fi

C=$TMP/clone
if ! { git clone -q --no-checkout . "$C" && git -C "$C" checkout -q "$head"; } 2>"$TMP/clone.err"; then
	fail "git clone of $head: $(tail -n1 "$TMP/clone.err")"
	finish
fi
check_eq "the clone tracks nothing under build/" "$(git -C "$C" ls-files build)" ""
check "the clone has no build/ before make" test ! -e "$C/build"

# As a user would run it: nothing inherited from the make that runs the tests.
variant=$(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def | head -n1)
(cd "$C" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u V -u BUILD -u VMLINUX_BTF \
	make build/vmlinux.h "build/$variant.bpf.o") >"$TMP/make.log" 2>&1
rc=$?
check_eq "make build/vmlinux.h build/$variant.bpf.o exits 0 (log: $(tail -n1 "$TMP/make.log"))" "$rc" 0
check "the build log shows GEN build/vmlinux.h" grep -qE '^ *GEN +build/vmlinux\.h$' "$TMP/make.log"
check "...and no fallback note" bash -c "! grep -q 'vmlinux-fallback' '$TMP/make.log'"
bpftool btf dump file "$BTF" format c >"$TMP/vmlinux.h"
check "build/vmlinux.h equals 'bpftool btf dump file $BTF format c'" cmp -s "$C/build/vmlinux.h" "$TMP/vmlinux.h"
check "build/$variant.bpf.o was compiled against it" test -s "$C/build/$variant.bpf.o"
finish

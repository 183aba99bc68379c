#!/usr/bin/env bash
# Build the matrix VM's initramfs: busybox-static, the statically linked
# harness, /init (guest-init.sh) and /job.sh (guest-job.sh), as a gzip'd
# newc cpio. Kernel-independent: one serves every kernel of a matrix.
#
# Usage: scripts/vm/mkinitramfs.sh [options] -o OUT.cpio.gz
#   -o, --out FILE    the initramfs to write
#   --bin FILE        statically linked bpf2bpf-bench (default
#                     build/static/bpf2bpf-bench; built by `make static`)
#   --no-bin          leave the harness out (for a job that does not need it)
#   --job FILE        the job /init runs (default scripts/vm/guest-job.sh)
#   --add SRC:DEST    also copy file SRC to DEST in the initramfs (repeatable)
#   -h, --help
set -euo pipefail
prog=mkinitramfs.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

out=""
bin=build/static/bpf2bpf-bench
job=$here/guest-job.sh
adds=()

parse_args() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		-h | --help) print_help; exit 0 ;;
		-o | --out) need_arg "$@"; out=$2; shift 2 ;;
		--bin) need_arg "$@"; bin=$2; shift 2 ;;
		--no-bin) bin=""; shift ;;
		--job) need_arg "$@"; job=$2; shift 2 ;;
		--add)
			need_arg "$@"
			[[ $2 == *:/* ]] || usage_error "--add wants SRC:/DEST, got '$2'"
			adds+=("$2"); shift 2 ;;
		*) usage_error "unknown argument '$1'" ;;
		esac
	done
	[[ -n $out ]] || usage_error "missing -o OUT.cpio.gz"
	[[ -r $job ]] || die "job file '$job' not found"
	if [[ -n $bin ]]; then
		[[ -e $bin ]] || die "harness binary '$bin' not found: build it with 'make static'"
		static_elf "$bin" || die "'$bin' is not a statically linked ELF (the guest has no libc): use 'make static'"
	fi
	local a
	for a in "${adds[@]}"; do
		[[ -r ${a%%:/*} ]] || die "--add: '${a%%:/*}' not found"
	done
}

main() {
	parse_args "$@"
	require_tools busybox cpio gzip
	local root
	root=$(mktemp -d "${TMPDIR:-/tmp}/bpf2bpf-initramfs.XXXXXX")
	# shellcheck disable=SC2064 # expand now: root is local
	trap "rm -rf '$root'" EXIT
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,out,run,etc}
	cp "$(command -v busybox)" "$root/bin/busybox"
	install -m 0755 "$here/guest-init.sh" "$root/init"
	install -m 0755 "$job" "$root/job.sh"
	[[ -z $bin ]] || install -m 0755 "$bin" "$root/bin/bpf2bpf-bench"
	local a
	for a in "${adds[@]}"; do
		mkdir -p "$root/$(dirname "${a#*:}")"
		cp "${a%%:/*}" "$root/${a#*:}"
	done
	echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
	echo "127.0.0.1 localhost" >"$root/etc/hosts"
	mkdir -p "$(dirname "$out")"
	# Sorted, owned by root, written atomically.
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -6 >"$out.tmp"
	mv "$out.tmp" "$out"
	echo "$out"
}

main "$@"

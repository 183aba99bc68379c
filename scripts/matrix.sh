#!/usr/bin/env bash
# Run the harness under several Debian kernels in qemu and compare them:
# for each kernel series, fetch the newest cloud kernel, boot it with the
# static harness in a busybox initramfs, run `bpf2bpf-bench bench --vm` (every
# method marked for VM kernels, quick grid) and trace smoke tests (the demo,
# and the freplace variant), and collect the results; add the host's own
# column (the same job, native); write kernels.csv, a combined sizes.csv and
# report.md with `bpf2bpf-bench matrix-report`. Every other libbpf build
# (--libbpfs: the harness statically linked with another libbpf,
# scripts/toolchain/build-harness.sh) runs `bench --vm --only sizes` in each
# kernel too, into <kernel>/run-libbpf-<version>/. Prints the report path last.
#
# Usage: scripts/matrix.sh [options]
#   --kernels "LIST"    kernel series: 5.10 6.1 6.12 newest (default all four)
#   --results DIR       parent of the run directory (default results)
#   --cache DIR         kernel cache (default
#                       ${XDG_CACHE_HOME:-$HOME/.cache}/bpf2bpf-bench/kernels)
#   --bin FILE          static harness for the guests
#                       (default build/static/bpf2bpf-bench)
#   --host-bin FILE     harness for the host column and the report
#                       (default build/bpf2bpf-bench, else --bin)
#   --libbpfs "LIST"    other libbpf builds to run sizes with (default
#                       backports: the release's backports suite; "" none)
#   --no-host           leave the host column out
#   --job FILE          guest job (default scripts/vm/guest-job.sh)
#   --timeout S         per kernel, boot to power-off (default 300)
#   --accel auto|kvm|tcg  (default auto: KVM if usable and it boots, else TCG)
#   --offline           use only cached kernels
#   -h, --help
#
# Writes results/matrix-<UTC timestamp>/ (under a temporary name until
# complete): <kernel release>/ per kernel (kernel.env, boot.env, console.log,
# job.log, job.env, run/: the guest's run directory, run-libbpf-<version>/,
# trace*.txt/.err/.kallsyms: the trace smoke tests), host-<release>/,
# columns (their order), kernels.csv, sizes.csv, report.md.
# A kernel that cannot be fetched, booted or run is reported and the others
# go on. Exit status: 0 when every kernel ran cleanly, 1 otherwise, 2 bad
# usage.
set -euo pipefail
prog=matrix.sh
top=$(cd "$(dirname "$0")/.." && pwd)
vm=$top/scripts/vm
. "$vm/lib.sh"

kernels="5.10 6.1 6.12 newest"
results=results
cache=""
bin=build/static/bpf2bpf-bench
host_bin=""
libbpfs=backports
no_host=0
job=$vm/guest-job.sh
timeout=300
accel=auto
offline=0

parse_args() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		-h | --help) print_help; exit 0 ;;
		--kernels) need_arg "$@"; kernels=$2; shift 2 ;;
		--results) need_arg "$@"; results=$2; shift 2 ;;
		--cache) need_arg "$@"; cache=$2; shift 2 ;;
		--bin) need_arg "$@"; bin=$2; shift 2 ;;
		--host-bin) need_arg "$@"; host_bin=$2; shift 2 ;;
		--libbpfs) [[ $# -ge 2 ]] || usage_error "option $1 needs a value"; libbpfs=$2; shift 2 ;;
		--no-host) no_host=1; shift ;;
		--job) need_arg "$@"; job=$2; shift 2 ;;
		--timeout)
			need_arg "$@"
			[[ $2 =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout needs seconds, got '$2'"
			timeout=$2; shift 2 ;;
		--accel)
			need_arg "$@"
			[[ $2 =~ ^(auto|kvm|tcg)$ ]] || usage_error "--accel is auto, kvm or tcg, got '$2'"
			accel=$2; shift 2 ;;
		--offline) offline=1; shift ;;
		*) usage_error "unknown argument '$1'" ;;
		esac
	done
	[[ -n ${kernels// /} ]] || usage_error "--kernels is empty"
	[[ -e $bin ]] || die "harness binary '$bin' not found: build it with 'make static'"
	if [[ -z $host_bin ]]; then
		host_bin=build/bpf2bpf-bench
		[[ -x $host_bin ]] || host_bin=$bin
	fi
	[[ -x $host_bin ]] || die "host harness '$host_bin' not found: build it with 'make'"
}

env_get() { sed -n "s/^$1=//p" "$2" 2>/dev/null | tail -n 1; }

# The column's directory goes into the report's order.
add_column() { echo "$1" >>"$run/columns"; }

# Fetch, boot and collect one kernel series into $run/<release>/: kernel.env
# (what was fetched), boot.env (how it booted and ran), the guest's run/.
run_kernel() {
	local series=$1 kdir release dir rc=0 fetch_err
	log "=== kernel series $series"
	local fetch_args=()
	[[ -z $cache ]] || fetch_args+=(--cache "$cache")
	[[ $offline -eq 0 ]] || fetch_args+=(--offline)
	fetch_err=$run/.fetch-$series.err
	kdir=$("$vm/fetch-kernel.sh" "${fetch_args[@]}" "$series" 2>"$fetch_err") || rc=$?
	cat "$fetch_err" >&2
	if [[ $rc -ne 0 ]]; then
		dir=$run/fetch-failed-$series
		mkdir -p "$dir"
		printf 'series=%s\nrole=vm\n' "$series" >"$dir/kernel.env"
		printf 'status=fetch-failed\nreason=%s\n' \
			"$(grep -a 'error:' "$fetch_err" | tail -n 1 | sed 's/^[^:]*: error: //')" >"$dir/boot.env"
		add_column "fetch-failed-$series"
		failures+=("$series: could not fetch the kernel")
		return 0
	fi
	release=$(env_get release "$kdir/kernel.env")
	dir=$run/$release
	mkdir -p "$dir"
	{
		cat "$kdir/kernel.env"
		echo "role=vm"
	} >"$dir/kernel.env"
	[[ ! -r $kdir/config ]] || gzip -c "$kdir/config" >"$dir/config.gz"
	"$vm/boot.sh" --name "$release" --kernel "$kdir/vmlinuz" --initrd "$initrd" --out "$dir" \
		--timeout "$timeout" --accel "$accel" || rc=$?
	attribute_on_host "$dir/run"
	add_column "$release"
	# One KVM attempt per matrix: once it fell back, the rest use TCG.
	if [[ $accel == auto && $(env_get accel "$dir/boot.env") == tcg ]]; then
		accel=tcg
	fi
	[[ $rc -eq 0 ]] || failures+=("$series ($release): $(env_get status "$dir/boot.env"): $(env_get reason "$dir/boot.env")")
}

# The guests have no objdump: the calls method keeps its JIT images in the
# run (dumps/calls-jit/) and they are counted here, then the guest's report
# is written again with them.
attribute_on_host() {
	[[ -d $1/dumps/calls-jit ]] || return 0
	"$host_bin" calls --attribute "$1" >>"$1/../job.log" 2>&1 &&
		"$host_bin" report "$1" >>"$1/../job.log" 2>&1 ||
		warn "$1: attributing the JIT images on the host failed (see job.log)"
}

# The host's own column: the same job as the guests' (bench --vm), native.
run_host() {
	local release dir rc=0 t0
	release=$(uname -r)
	dir=$run/host-$release
	mkdir -p "$dir"
	log "=== host $release"
	printf 'series=host\nrelease=%s\nrole=host\n' "$release" >"$dir/kernel.env"
	t0=$(date +%s)
	BPF2BPF_TIMING=native "$host_bin" bench --vm -o "$dir/run" >"$dir/job.log" 2>&1 || rc=$?
	local b ver
	for b in "${alt_bins[@]}"; do # the guests' /bin/libbpf-<version>/bpf2bpf-bench
		ver=${b##*:/bin/libbpf-}
		ver=${ver%/bpf2bpf-bench}
		BPF2BPF_TIMING=native "${b%%:/*}" bench --vm --only sizes -o "$dir/run-libbpf-$ver" \
			>>"$dir/job.log" 2>&1 || failures+=("host: bench --only sizes with libbpf $ver failed")
	done
	local status=ok reason=""
	if [[ $rc -ne 0 ]]; then
		status=job-failed
		reason="bench --vm exited $rc: $(grep -v '^\[' "$dir/job.log" | tail -n 1)"
		failures+=("host: $reason")
	fi
	printf 'status=%s\nreason=%s\naccel=none\nwall_s=%s\n' "$status" "$reason" \
		"$(($(date +%s) - t0))" >"$dir/boot.env"
	add_column "host-$release"
}

failures=()
run=""
alt_bins=() # SRC:/bin/libbpf-<version>/bpf2bpf-bench, for mkinitramfs --add

# Each other libbpf's static build, for the initramfs and the host column.
build_libbpfs() {
	local l dir pkg up
	for l in $libbpfs; do
		if ! dir=$("$top/scripts/toolchain/build-harness.sh" --libbpf "$l" 2>"$run/.build-$l.log"); then
			failures+=("libbpf $l: $(grep -v '^  [A-Z-]* ' "$run/.build-$l.log" | tail -n 1)")
			continue
		fi
		pkg=$(env_get libbpf_package "$dir/toolchain.env")
		up=${pkg#*:}
		up=${up%-*}
		alt_bins+=("$dir/static/bpf2bpf-bench:/bin/libbpf-$up/bpf2bpf-bench")
		log "libbpf $l ($pkg): $dir/static/bpf2bpf-bench"
	done
	rm -f "$run"/.build-*.log
}

cleanup() {
	[[ -z $run || ! -d $run ]] || {
		rm -f "$run"/.fetch-*.err "$run/.initrd.cpio.gz"
		warn "interrupted; partial results left in $run"
	}
}

main() {
	parse_args "$@"
	require_tools qemu-system-x86_64 busybox cpio gzip
	local stamp final
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	final=$results/matrix-$stamp
	run=$results/.matrix-$stamp.partial
	mkdir -p "$run"
	trap cleanup EXIT
	: >"$run/columns"
	initrd=$run/.initrd.cpio.gz
	build_libbpfs
	local adds=() a
	for a in "${alt_bins[@]}"; do adds+=(--add "$a"); done
	"$vm/mkinitramfs.sh" --bin "$bin" --job "$job" "${adds[@]}" -o "$initrd" >/dev/null
	local s
	for s in $kernels; do
		run_kernel "$s"
	done
	[[ $no_host -eq 1 ]] || run_host
	rm -f "$run"/.fetch-*.err "$initrd"
	local report_rc=0
	"$host_bin" matrix-report "$run" || report_rc=$?
	mv "$run" "$final"
	run=""
	if [[ $report_rc -ne 0 ]]; then
		failures+=("report: bpf2bpf-bench matrix-report failed (exit $report_rc)")
	fi
	if [[ ${#failures[@]} -gt 0 ]]; then
		warn "${#failures[@]} problem(s):"
		printf '  %s\n' "${failures[@]}" >&2
	fi
	echo "$final/report.md"
	[[ ${#failures[@]} -eq 0 ]]
}

main "$@"

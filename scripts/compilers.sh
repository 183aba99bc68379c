#!/usr/bin/env bash
# The toolchain matrix (`make compilers`): every variant built with each
# compiler x -mcpu x libbpf, each build in its own build directory
# (build/tc/<column>/, scripts/toolchain/build-harness.sh), each build's
# harness running `bench --quick --only METHODS` on this machine's kernel into
# one run directory, then the cross-toolchain report
# (`bpf2bpf-bench matrix-report`, columns = toolchains). Prints the report
# path last.
#
# Usage: scripts/compilers.sh [options]
#   --compilers "LIST"  BPF compilers (default "clang-14 clang-16 clang-19",
#                       installed by scripts/install-deps.sh)
#   --cpus "LIST"       -mcpu versions (default "v1 v2 v3 v4")
#   --libbpfs "LIST"    system (the installed libbpf-dev) and/or backports (the
#                       backports suite's, fetched with a private apt state)
#                       (default "system backports")
#   --methods "LIST"    the methods each build runs (default sizes)
#   --results DIR       parent of the run directory (default results)
#   --host-bin FILE     harness for the report (default build/bpf2bpf-bench)
#   --offline           a fetched libbpf only from the cache
#   -h, --help
#
# Writes results/compilers-<UTC timestamp>/ (under a temporary name until
# complete): one directory per column, <compiler>-<cpu>-libbpf-<version>/
# (toolchain.env, build.log, job.log, run/: a run directory, so `bpf2bpf-bench
# compare A/run B/run` compares two columns), columns (their order),
# toolchains.csv and report.md. A compiler that refuses a -mcpu is a skipped
# column in its own words. Exit status: 0 when every build that could be made
# ran cleanly, 1 otherwise, 2 bad usage.
set -euo pipefail
prog=compilers.sh
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/vm/lib.sh"

compilers="clang-14 clang-16 clang-19"
cpus="v1 v2 v3 v4"
libbpfs="system backports"
methods=sizes
results=results
host_bin=build/bpf2bpf-bench
offline=()

while [[ $# -gt 0 ]]; do
	case $1 in
	-h | --help) print_help; exit 0 ;;
	--compilers) need_arg "$@"; compilers=$2; shift 2 ;;
	--cpus) need_arg "$@"; cpus=$2; shift 2 ;;
	--libbpfs) need_arg "$@"; libbpfs=$2; shift 2 ;;
	--methods) need_arg "$@"; methods=$2; shift 2 ;;
	--results) need_arg "$@"; results=$2; shift 2 ;;
	--host-bin) need_arg "$@"; host_bin=$2; shift 2 ;;
	--offline) offline=(--offline); shift ;;
	*) usage_error "unknown argument '$1'" ;;
	esac
done
for l in $libbpfs; do
	[[ $l =~ ^(system|backports)$ ]] || usage_error "--libbpfs: '$l' is neither system nor backports"
done
[[ -n ${compilers// /} && -n ${cpus// /} && -n ${libbpfs// /} && -n ${methods// /} ]] ||
	usage_error "--compilers, --cpus, --libbpfs and --methods must not be empty"
[[ -x $host_bin ]] || die "harness '$host_bin' not found: build it with 'make'"
cd "$top"

failures=()
run=""
cleanup() { [[ -z $run || ! -d $run ]] || warn "interrupted; partial results left in $run"; }

env_get() { sed -n "s/^$1=//p" "$2" 2>/dev/null | tail -n 1; }

# The package version of a libbpf, for the column's name.
libbpf_version() {
	local root
	if [[ $1 == system ]]; then
		dpkg-query -W -f='${Version}' libbpf-dev 2>/dev/null
	else
		root=$(scripts/toolchain/fetch-libbpf.sh "${offline[@]}" "$1") || return 1
		env_get version "$root/libbpf.env"
	fi
}

# One column: build, then the methods, into $run/<column>/.
run_column() {
	local clang=$1 cpu=$2 libbpf=$3 pkg=$4 up col dir build rc=0 words
	up=${pkg#*:}
	up=${up%-*}
	col=$clang-$cpu-libbpf-${up:-$libbpf}
	dir=$run/$col
	mkdir -p "$dir"
	echo "$col" >>"$run/columns"
	log "=== $col"
	build=$(scripts/toolchain/build-harness.sh --clang "$clang" --cpu "$cpu" --libbpf "$libbpf" \
		"${offline[@]}" 2>"$dir/build.log") || rc=$?
	if [[ $rc -ne 0 ]]; then
		words=$(grep -v '^  [A-Z-]* ' "$dir/build.log" | tail -n 1)
		{
			printf 'clang=%s\nclang_version=%s\nbpf_cpu=%s\nlibbpf=%s\nlibbpf_package=%s\n' \
				"$clang" "$("$clang" --version 2>/dev/null | head -n 1)" "$cpu" "$libbpf" "$pkg"
			printf 'timing=native\nstatus=%s\nreason=%s\n' \
				"$([[ $rc -eq 3 ]] && echo skipped || echo build-failed)" "$words"
		} >"$dir/toolchain.env"
		[[ $rc -eq 3 ]] || failures+=("$col: build failed: $words")
		log "$col: $([[ $rc -eq 3 ]] && echo skipped || echo build failed): $words"
		return 0
	fi
	rc=0
	BPF2BPF_TIMING=native "$build/static/bpf2bpf-bench" bench --quick --only "${methods// /,}" \
		-o "$dir/run" >"$dir/job.log" 2>&1 || rc=$?
	{
		cat "$build/toolchain.env"
		echo "timing=native"
		if [[ $rc -eq 0 ]]; then
			printf 'status=ok\nreason=\n'
		else
			printf 'status=job-failed\nreason=bench exited %s: %s\n' "$rc" "$(tail -n 1 "$dir/job.log")"
		fi
	} >"$dir/toolchain.env"
	[[ $rc -eq 0 ]] || failures+=("$col: bench exited $rc")
}

main() {
	local stamp final l c p pkg
	scripts/install-deps.sh $compilers || die "could not install the compilers: $compilers"
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	final=$results/compilers-$stamp
	run=$results/.compilers-$stamp.partial
	mkdir -p "$run"
	trap cleanup EXIT
	: >"$run/columns"
	for l in $libbpfs; do
		pkg=$(libbpf_version "$l") || { failures+=("libbpf $l: could not fetch it"); pkg=""; }
		for c in $compilers; do
			for p in $cpus; do
				run_column "$c" "$p" "$l" "$pkg"
			done
		done
	done
	local report_rc=0
	"$host_bin" matrix-report "$run" || report_rc=$?
	mv "$run" "$final"
	run=""
	[[ $report_rc -eq 0 ]] || failures+=("report: bpf2bpf-bench matrix-report failed (exit $report_rc)")
	if [[ ${#failures[@]} -gt 0 ]]; then
		warn "${#failures[@]} problem(s):"
		printf '  %s\n' "${failures[@]}" >&2
	fi
	echo "$final/report.md"
	[[ ${#failures[@]} -eq 0 ]]
}

main

#!/usr/bin/env bash
# Build the harness with one toolchain, in a build directory of its own:
# every variant's BPF objects by CLANG at -mcpu=CPU, the harness statically
# linked with one libbpf (the installed libbpf-dev, or one fetched from
# another suite with scripts/toolchain/fetch-libbpf.sh). A plain `make`
# afterwards still builds the default in build/.
#
# Usage: scripts/toolchain/build-harness.sh [options]
#   --clang CLANG     BPF compiler (default clang)
#   --cpu CPU         -mcpu of the BPF objects (default v3)
#   --libbpf WHICH    system (default: the installed libbpf-dev) or backports
#   --out DIR         parent of the build directory (default build/tc)
#   --offline         a fetched libbpf only from the cache
#   -h, --help
#
# Prints the build directory, DIR/<clang>-<cpu>-libbpf-<version>; its
# static/bpf2bpf-bench is the harness and toolchain.env says what built it
# (clang, clang_version, bpf_cpu, libbpf, libbpf_package, objects: a sha256
# over the BPF objects, build_s).
# Exit status: 0 built; 3 the compiler refused the -mcpu (its words on
# stderr, nothing built); 1 anything else failed; 2 bad usage.
set -euo pipefail
prog=build-harness.sh
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/vm/lib.sh"

clang=clang
cpu=v3
libbpf=system
out=build/tc
fetch_args=()

while [[ $# -gt 0 ]]; do
	case $1 in
	-h | --help) print_help; exit 0 ;;
	--clang) need_arg "$@"; clang=$2; shift 2 ;;
	--cpu)
		need_arg "$@"
		[[ $2 =~ ^v[0-9]+$ ]] || usage_error "--cpu wants v1, v2, ..., got '$2'"
		cpu=$2; shift 2 ;;
	--libbpf)
		need_arg "$@"
		[[ $2 =~ ^(system|backports|release)$ ]] || usage_error "--libbpf is system, backports or release, got '$2'"
		libbpf=$2; shift 2 ;;
	--out) need_arg "$@"; out=$2; shift 2 ;;
	--offline) fetch_args+=(--offline); shift ;;
	*) usage_error "unknown argument '$1'" ;;
	esac
done
cd "$top"
command -v "$clang" >/dev/null || die "$clang is not installed (scripts/install-deps.sh $clang installs it)"

# The compiler's own verdict on the CPU version, before anything is built.
if ! words=$("$clang" -target bpf -mcpu="$cpu" -c -x c /dev/null -o /dev/null 2>&1); then
	echo "$words" | grep -m1 -E 'error' >&2 || echo "$words" | head -n 1 >&2
	exit 3
fi

make_args=()
if [[ $libbpf == system ]]; then
	pkg=$(dpkg-query -W -f='${Version}' libbpf-dev 2>/dev/null) ||
		die "libbpf-dev is not installed (scripts/install-deps.sh installs it)"
else
	root=$("$top/scripts/toolchain/fetch-libbpf.sh" "${fetch_args[@]}" "$libbpf") ||
		die "could not fetch the $libbpf libbpf-dev"
	pkg=$(sed -n 's/^version=//p' "$root/libbpf.env")
	make_args+=(LIBBPF_ROOT="$root")
fi
upstream=${pkg#*:}
upstream=${upstream%-*}
dir=$out/$clang-$cpu-libbpf-$upstream
mkdir -p "$dir"
t0=$(date +%s.%N)
make -s -j"$(nproc)" BUILD="$dir" CLANG="$clang" BPF_CPU="$cpu" "${make_args[@]}" \
	"$dir/static/bpf2bpf-bench" >&2 || die "make of $dir failed"
t1=$(date +%s.%N)
static_elf "$dir/static/bpf2bpf-bench" || die "$dir/static/bpf2bpf-bench is not statically linked"
{
	echo "clang=$clang"
	echo "clang_version=$("$clang" --version | head -n 1)"
	echo "bpf_cpu=$cpu"
	echo "libbpf=$libbpf"
	echo "libbpf_package=$pkg"
	echo "objects=$(cat $(ls "$dir"/*.bpf.o | grep -v '\.tmp\.bpf\.o$' | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)"
	echo "build_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
} >"$dir/toolchain.env"
echo "$dir"

#!/usr/bin/env bash
# Check the build and run dependencies; on Debian/Ubuntu as root install what
# is missing, otherwise print the one command that would.
# Usage: scripts/install-deps.sh [--check] [CLANG...]   (default clang; make compilers: each)
set -euo pipefail
check_only=0
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
	sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi
[[ ${1:-} == --check ]] && { check_only=1; shift; }
clangs=("${@:-clang}")

# command or file -> Debian package that provides it
declare -A need=(
	[cmd:llvm-strip]=llvm
	[cmd:bpftool]=bpftool
	[cmd:gnuplot]=gnuplot-nox
	[cmd:hyperfine]=hyperfine
	[cmd:iperf3]=iperf3
	[cmd:objdump]=binutils
	[cmd:readelf]=binutils
	[file:/usr/include/bpf/libbpf.h]=libbpf-dev
	[file:/usr/include/gelf.h]=libelf-dev
	[file:/usr/include/zlib.h]=zlib1g-dev
	[file:/usr/include/zstd.h]=libzstd-dev
	[file:/usr/include/cmocka.h]=libcmocka-dev
	[file:/usr/include/json-c/json.h]=libjson-c-dev
	[file:/usr/include/gsl/gsl_cdf.h]=libgsl-dev
	[file:/usr/include/linux/bpf.h]=linux-libc-dev
)
for c in "${clangs[@]}"; do
	need[cmd:$c]=$([[ $c == clang-* ]] && echo "$c" || echo clang)
done
missing=()
for key in "${!need[@]}"; do
	what=${key#*:}
	case $key in
	cmd:*) command -v "$what" >/dev/null 2>&1 || missing+=("${need[$key]}") ;;
	file:*) [[ -e $what ]] || missing+=("${need[$key]}") ;;
	esac
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $check_only -eq 1 ]] || [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
	echo "missing build dependencies: ${missing[*]}" >&2
	echo "install them with: sudo $cmd" >&2
	exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

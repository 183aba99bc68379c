#!/usr/bin/env bash
# Fetch the libbpf development package (headers and libbpf.a) of a suite of
# this machine's Debian release, without touching the system's apt state, and
# print the directory it was unpacked into; `make LIBBPF_ROOT=DIR` builds the
# harness against it (scripts/toolchain/build-harness.sh does).
#
# Usage: scripts/toolchain/fetch-libbpf.sh [options] [WHICH]
#   WHICH             backports (default): the newest libbpf-dev of
#                     <codename>-backports; release: the newest of <codename>,
#                     -updates and -security (the distribution's)
#   --cache DIR       cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/bpf2bpf-bench/libbpf)
#   --max-age HOURS   refresh the package lists when older (default 12)
#   --refresh         refresh the package lists now
#   --offline         use only what is cached
#   --mirror URI      Debian archive URI (default: from the apt configuration)
#   -h, --help
#
# The codename and the archive come from /etc/apt/sources.list{,.d/} (else
# /etc/os-release); packages come through apt-get with a private state under
# the cache (scripts/lib/private-apt.sh). The printed directory holds
# usr/include/bpf/, usr/lib/<triplet>/libbpf.a and libbpf.env (which,
# package, version, suite, codename, sha256 of the .deb). Without network,
# the newest one already unpacked for WHICH is used.
set -euo pipefail
prog=fetch-libbpf.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/lib.sh"
. "$here/../lib/private-apt.sh"

which=backports
cache=""
max_age=12
refresh=0
offline=0
mirror=""

while [[ $# -gt 0 ]]; do
	case $1 in
	-h | --help) print_help; exit 0 ;;
	backports | release) which=$1; shift ;;
	*)
		pa_option "$@"
		[[ $PA_SHIFT -gt 0 ]] || usage_error "unknown argument '$1' (WHICH is backports or release)"
		shift "$PA_SHIFT" ;;
	esac
done
cache=${cache:-$(cache_root)/libbpf}
require_tools apt-get dpkg-deb flock

# The newest "version suite" of libbpf-dev among the suites $1.
resolve() {
	local suites=" $1 " best="" best_ver="" pkg ver line suite
	while IFS='|' read -r pkg ver line; do
		ver=${ver// /}
		suite=$(awk '{ print $2 }' <<<"$line")
		suite=${suite%%/*}
		[[ $suites == *" $suite "* ]] || continue
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best="$ver $suite"
			best_ver=$ver
		fi
	done < <(papt apt-cache madison libbpf-dev 2>/dev/null)
	[[ -n $best ]] && echo "$best"
}

# The newest already unpacked for this WHICH, when the archive cannot be had.
cached_root() {
	pa_newest_cached "which=$which" "$cache"/libbpf-dev_*/libbpf.env
}

fallback() {
	local dir
	if dir=$(cached_root); then
		warn "$1; using the cached $(basename "$dir")"
		echo "$dir"
		exit 0
	fi
	die "libbpf ($which): $1, and none is cached in $cache"
}

main() {
	mkdir -p "$cache" || die "cannot create $cache"
	# One fetch at a time per cache: apt's state and the .debs are shared.
	exec 9>"$cache/.lock"
	flock 9
	pa_find_mirrors "$mirror"
	local codename suites found ver suite dir deb tmp
	codename=$(pa_codename)
	case $which in
	backports) suites="$codename-backports" ;;
	release) suites="$codename $codename-updates $codename-security" ;;
	esac
	pa_init "$cache/apt"
	# Every suite in one list, so one refresh serves either WHICH.
	pa_sources "$codename $codename-updates $codename-security $codename-backports"
	pa_update "$max_age" "$refresh" "$offline" || fallback "could not fetch the package lists (no network?)"
	found=$(resolve "$suites") || fallback "no libbpf-dev in $suites"
	read -r ver suite <<<"$found"
	dir=$cache/libbpf-dev_${ver//:/_}
	if [[ -s $dir/libbpf.env ]] && grep -qx "version=$ver" "$dir/libbpf.env" &&
		compgen -G "$dir/usr/lib/*/libbpf.a" >/dev/null; then
		echo "$dir"
		return 0
	fi
	deb=$(pa_download libbpf-dev "$ver" "$cache/debs" "$offline") || fallback "could not fetch libbpf-dev $ver"
	tmp=$dir.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb -x "$deb" "$tmp"
	compgen -G "$tmp/usr/lib/*/libbpf.a" >/dev/null || { rm -rf "$tmp"; die "libbpf-dev $ver has no libbpf.a"; }
	[[ -r $tmp/usr/include/bpf/libbpf.h ]] || { rm -rf "$tmp"; die "libbpf-dev $ver has no bpf/libbpf.h"; }
	printf 'which=%s\npackage=libbpf-dev\nversion=%s\nsuite=%s\ncodename=%s\nsha256=%s\n' \
		"$which" "$ver" "$suite" "$codename" "$(sha256sum <"$deb" | cut -d' ' -f1)" >"$tmp/libbpf.env"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "$dir"
}

main

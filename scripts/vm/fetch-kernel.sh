#!/usr/bin/env bash
# Fetch the newest Debian cloud kernel of a series and print the directory
# holding its vmlinuz (and config, kernel.env).
#
# Usage: scripts/vm/fetch-kernel.sh [options] SERIES
#   SERIES            5.10 (bullseye), 6.1 (bookworm), 6.12 (bookworm,
#                     -security, -backports) or newest (sid)
#   --cache DIR       cache directory (default:
#                     ${XDG_CACHE_HOME:-$HOME/.cache}/bpf2bpf-bench/kernels)
#   --max-age HOURS   refresh the package lists when older (default 12)
#   --refresh         refresh the package lists now
#   --offline         use only what is cached
#   --mirror URI      Debian archive URI (default: from the apt configuration)
#   --security-mirror URI   Debian security archive URI (same)
#   -h, --help
#
# Packages come through apt-get with a private state under the cache (own
# sources list, lists, status; scripts/lib/private-apt.sh), so the system's
# apt state is never touched. The archive URIs are read from
# /etc/apt/sources.list{,.d/} at run time.
# Without network, the newest kernel of the series already cached is used.
set -euo pipefail
prog=fetch-kernel.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/private-apt.sh"

# series -> "suites|package name regex" (a regex on linux-image-* names).
# Security suites come from the security archive; all others from the main.
declare -A SERIES=(
	[5.10]='bullseye bullseye-updates bullseye-security|^linux-image-5\.10\.0-[0-9]+-cloud-amd64$'
	[6.1]='bookworm bookworm-updates bookworm-security|^linux-image-6\.1\.0-[0-9]+-cloud-amd64$'
	[6.12]='bookworm bookworm-updates bookworm-security bookworm-backports|^linux-image-6\.12\.[0-9][^-]*-cloud-amd64$'
	[newest]='sid|^linux-image-[0-9][^-]*(-[0-9]+)?-cloud-amd64$'
)

cache=""
max_age=12
refresh=0
offline=0
mirror=""
sec_mirror=""
series=""

parse_args() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		-h | --help) print_help; exit 0 ;;
		--security-mirror) need_arg "$@"; sec_mirror=$2; shift 2 ;;
		-*)
			pa_option "$@"
			[[ $PA_SHIFT -gt 0 ]] || usage_error "unknown option '$1'"
			shift "$PA_SHIFT" ;;
		*)
			[[ -z $series ]] || usage_error "one SERIES only (got '$series' and '$1')"
			series=$1; shift ;;
		esac
	done
	[[ -n $series ]] || usage_error "missing SERIES (one of: 5.10 6.1 6.12 newest)"
	[[ -n ${SERIES[$series]:-} ]] ||
		die "unknown kernel series '$series' (known: $(printf '%s\n' "${!SERIES[@]}" | sort -V | tr '\n' ' '| sed 's/ $//'))"
	cache=${cache:-$(cache_root)/kernels}
}

# The sources list for every series we know: one state serves them all, and
# the lists are refreshed together.
write_sources() {
	pa_sources "$(for s in "${SERIES[@]}"; do echo "${s%%|*}"; done | tr ' ' '\n' | sort -u)"
}

# "package version suite" of the newest package matching the series.
resolve() {
	local suites=${SERIES[$series]%%|*} regex=${SERIES[$series]#*|}
	local names best="" best_ver="" pkg ver suite line
	names=$(papt apt-cache pkgnames linux-image- | grep -E "$regex" || true)
	[[ -n $names ]] || return 1
	# madison: "pkg | version | uri suite/component arch Packages"
	# shellcheck disable=SC2086 # $names: one package name a word
	while IFS='|' read -r pkg ver line; do
		pkg=${pkg// /}
		ver=${ver// /}
		suite=$(awk '{ print $2 }' <<<"$line")
		suite=${suite%%/*}
		[[ " $suites " == *" $suite "* ]] || continue
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best="$pkg $ver $suite"
			best_ver=$ver
		fi
	done < <(papt apt-cache madison $names 2>/dev/null)
	[[ -n $best ]] || return 1
	echo "$best"
}

# Download pkg=ver into the deb cache unless there; prints the .deb path.
download() {
	pa_download "$1" "$2" "$cache/debs" "$offline"
}

# The vmlinuz member of a kernel .deb, if any.
vmlinuz_member() {
	dpkg-deb --fsys-tarfile "$1" | tar -t | grep -E '^\./(boot/vmlinuz-|usr/lib/modules/[^/]+/vmlinuz$)' | head -n 1
}

# Extract vmlinuz (and the config) of pkg=ver into the kernel's own
# directory; follow the image package's linux-binary-* dependency on kernels
# where the image package is split (7.x).
install_kernel() {
	local pkg=$1 ver=$2 suite=$3 release=${1#linux-image-}
	local dir=$cache/$release deb member bin
	if [[ -s $dir/vmlinuz && -s $dir/kernel.env ]] && grep -qx "version=$ver" "$dir/kernel.env"; then
		echo "$dir"
		return 0
	fi
	deb=$(download "$pkg" "$ver") || return 1
	member=$(vmlinuz_member "$deb")
	if [[ -z $member ]]; then
		bin=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -n 's/^ *\(linux-binary-[^ ]*\).*/\1/p' | head -n 1)
		[[ -n $bin ]] || { warn "$pkg $ver has no vmlinuz and no linux-binary dependency"; return 1; }
		deb=$(download "$bin" "$ver") || return 1
		member=$(vmlinuz_member "$deb")
		[[ -n $member ]] || { warn "$bin $ver has no vmlinuz"; return 1; }
	fi
	local tmp=$dir.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$member" >"$tmp/vmlinuz"
	# The config sits next to vmlinuz in the same package (boot/ or modules/).
	local cfg
	cfg=$(dpkg-deb --fsys-tarfile "$deb" | tar -t |
		grep -Fx -e "./boot/config-$release" -e "./usr/lib/modules/$release/config" | head -n 1 || true)
	[[ -z $cfg ]] || dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$cfg" >"$tmp/config"
	printf 'series=%s\nrelease=%s\npackage=%s\nversion=%s\nsuite=%s\n' \
		"$series" "$release" "$pkg" "$ver" "$suite" >"$tmp/kernel.env"
	[[ -s $tmp/vmlinuz ]] || { rm -rf "$tmp"; warn "empty vmlinuz from $deb"; return 1; }
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "$dir"
}

# The newest kernel of the series already in the cache.
cached_kernel() {
	local e usable=()
	for e in "$cache"/*/kernel.env; do
		[[ ! -s ${e%/kernel.env}/vmlinuz ]] || usable+=("$e")
	done
	pa_newest_cached "series=$series" "${usable[@]}"
}

# Could not get the newest: fall back on the cache, or fail with what was
# missing.
fallback() {
	local why=$1 dir
	if dir=$(cached_kernel); then
		warn "$why; using the cached $(basename "$dir")"
		echo "$dir"
		exit 0
	fi
	die "kernel series $series: $why, and none is cached in $cache"
}

main() {
	parse_args "$@"
	require_tools apt-get dpkg-deb flock
	mkdir -p "$cache" || die "cannot create the cache directory $cache"
	# One fetch at a time per cache: apt's state and the .debs are shared.
	exec 9>"$cache/.lock"
	flock 9
	pa_find_mirrors "$mirror" "$sec_mirror"
	pa_init "$cache/apt"
	write_sources
	local suites=${SERIES[$series]%%|*}
	pa_update "$max_age" "$refresh" "$offline" || fallback "could not fetch the package lists of $suites from the Debian archive (no network?)"
	local found
	found=$(resolve) || fallback "no linux-image-*-cloud-amd64 package of series $series in $suites"
	local dir
	# shellcheck disable=SC2086 # "package version suite"
	dir=$(install_kernel $found) || fallback "could not fetch ${found% *}"
	echo "$dir"
}

main "$@"

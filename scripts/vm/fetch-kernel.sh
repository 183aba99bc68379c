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
# sources list, lists, status), so the system's apt state is never touched.
# The archive URIs are read from /etc/apt/sources.list{,.d/} at run time.
# Without network, the newest kernel of the series already cached is used.
set -euo pipefail
prog=fetch-kernel.sh
. "$(dirname "$0")/lib.sh"

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

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
		--cache) need_arg "$@"; cache=$2; shift 2 ;;
		--max-age)
			need_arg "$@"
			[[ $2 =~ ^[0-9]+$ ]] || usage_error "--max-age needs a whole number of hours, got '$2'"
			max_age=$2; shift 2 ;;
		--refresh) refresh=1; shift ;;
		--offline) offline=1; shift ;;
		--mirror) need_arg "$@"; mirror=$2; shift 2 ;;
		--security-mirror) need_arg "$@"; sec_mirror=$2; shift 2 ;;
		-*) usage_error "unknown option '$1'" ;;
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

# "URI SUITE" for every enabled deb source of the system, one-line and
# deb822 formats alike.
system_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		# deb [opts] URI SUITE COMPONENTS...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		awk '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && enabled != "no")
				for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
			types = ""; enabled = ""; nu = 0; ns = 0
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = tolower($1); sub(/:$/, "", key)
			if (key == "types:" || key == "types") { $1 = ""; types = $0 }
			else if (key == "enabled") enabled = tolower($2)
			else if (key == "uris") for (i = 2; i <= NF; i++) u[++nu] = $i
			else if (key == "suites") for (i = 2; i <= NF; i++) s[++ns] = $i
		}
		END { flush() }' "$f"
	done
}

# The main and the security Debian archive URIs of the apt configuration:
# a security suite (X-security) names the security archive; a URI whose path
# ends in /debian is preferred for the main one.
find_mirrors() {
	local srcs
	srcs=$(system_sources | sed 's,/*\( \),\1,')
	if [[ -z $mirror ]]; then
		mirror=$(awk '$2 !~ /-security$/ && $1 ~ /\/debian$/ { print $1; exit }' <<<"$srcs")
		[[ -n $mirror ]] || mirror=$(awk '$2 !~ /-security$/ && $1 !~ /security/ { print $1; exit }' <<<"$srcs")
	fi
	if [[ -z $sec_mirror ]]; then
		sec_mirror=$(awk '$2 ~ /-security$/ { print $1; exit }' <<<"$srcs")
	fi
	[[ -n $mirror ]] ||
		die "no Debian archive found in /etc/apt/sources.list or /etc/apt/sources.list.d/ (give --mirror URI)"
}

apt_dir=""

# Private apt state: everything apt reads or writes lives under the cache.
# The configuration is ours alone (APT_CONFIG is read before, and here
# replaces, /etc/apt/apt.conf{,.d}): no hooks of the system's run on our
# updates, no caching policy of the system's applies. The system's
# Acquire:: settings (proxies, Check-Valid-Until for a time-shifted archive,
# timeouts) are carried over: the archive must be reached as apt reaches it.
setup_apt() {
	apt_dir=$cache/apt
	mkdir -p "$apt_dir"/state/lists/partial "$apt_dir"/cache/archives/partial "$apt_dir"/etc
	[[ -e $apt_dir/state/status ]] || : >"$apt_dir/state/status"
	{
		printf 'Dir::Etc::main "/dev/null";\nDir::Etc::parts "/dev/null";\n'
		printf 'Dir::State "%s/state";\nDir::State::status "%s/state/status";\n' "$apt_dir" "$apt_dir"
		printf 'Dir::Cache "%s/cache";\nDir::Cache::pkgcache "pkgcache.bin";\n' "$apt_dir"
		printf 'Dir::Cache::srcpkgcache "srcpkgcache.bin";\n'
		printf 'Dir::Etc::SourceList "%s/etc/sources.list";\nDir::Etc::SourceParts "/dev/null";\n' "$apt_dir"
		printf 'Dir::Etc::Preferences "/dev/null";\nDir::Etc::PreferencesParts "/dev/null";\n'
		printf 'APT::Architecture "amd64";\nAPT::Architectures { "amd64"; };\n'
		printf 'Acquire::Languages "none";\nAcquire::Retries "2";\n'
		# apt drops to _apt for downloads, which cannot write a root-owned cache.
		[[ $(id -u) -ne 0 ]] || printf 'APT::Sandbox::User "root";\n'
		apt-config dump 2>/dev/null | grep -E '^Acquire::' |
			grep -vE '^Acquire::(IndexTargets|Languages|Retries|Changelogs|cdrom)' || true
	} >"$apt_dir/etc/apt.conf"
}

# apt-get / apt-cache with the private configuration.
papt() {
	APT_CONFIG=$apt_dir/etc/apt.conf "$@"
}

# The sources list for every series we know: one state serves them all, and
# the lists are refreshed together.
write_sources() {
	local all suite uri new=$apt_dir/etc/sources.list.new
	all=$(for s in "${SERIES[@]}"; do echo "${s%%|*}"; done | tr ' ' '\n' | sort -u)
	: >"$new"
	for suite in $all; do
		if [[ $suite == *-security ]]; then
			[[ -n $sec_mirror ]] || continue
			uri=$sec_mirror
		else
			uri=$mirror
		fi
		echo "deb [signed-by=$KEYRING] $uri $suite main" >>"$new"
	done
	if cmp -s "$new" "$apt_dir/etc/sources.list"; then
		rm -f "$new"
	else
		mv "$new" "$apt_dir/etc/sources.list"
		rm -f "$apt_dir/updated"
	fi
}

# apt's warnings and errors, at most 3, with the archive's address masked:
# messages land in result logs, which name no hosts.
apt_errors() {
	grep -E '^(W|E): ' | head -n 3 |
		sed -E -e 's,[a-z]+://[^/ ]+,<archive>,g' -e 's/(connect to|resolving|resolve) [^ :]+/\1 <archive>/g' \
			-e "s/^/$prog: apt: /" >&2 || true
}

lists_present() {
	compgen -G "$apt_dir/state/lists/*_Packages*" >/dev/null
}

# Refresh the package lists when missing, stale or asked for. Returns 1 when
# they could not be fetched and no older copy exists.
update_lists() {
	local stamp=$apt_dir/updated
	if [[ $refresh -eq 0 && -e $stamp ]] && lists_present &&
		[[ -z $(find "$stamp" -mmin +$((max_age * 60))) ]]; then
		return 0
	fi
	[[ $offline -eq 0 ]] || { lists_present && return 0; return 1; }
	local out
	if out=$(papt apt-get -q update 2>&1) && ! grep -qE '^(W|E): ' <<<"$out"; then
		touch "$stamp"
		return 0
	fi
	apt_errors <<<"$out"
	if lists_present; then
		warn "could not refresh the Debian package lists; using the lists from $(date -r "$apt_dir/state/lists" '+%F %R')"
		return 0
	fi
	return 1
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
	local pkg=$1 ver=$2 debs=$cache/debs deb size avail
	mkdir -p "$debs"
	deb=$(compgen -G "$debs/${pkg}_${ver//:/%3a}_*.deb" | head -n 1 || true)
	if [[ -n $deb ]]; then
		echo "$deb"
		return 0
	fi
	[[ $offline -eq 0 ]] || { warn "$pkg $ver is not cached (offline)"; return 1; }
	size=$(papt apt-cache show "$pkg=$ver" 2>/dev/null | awk '/^Size:/ { print $2; exit }')
	avail=$(df -Pk "$debs" | awk 'NR == 2 { print $4 }')
	# the .deb, its extracted vmlinuz and some room (KiB)
	if [[ -n $size && -n $avail ]] && ((avail < size / 1024 * 2 + 64 * 1024)); then
		warn "no space for $pkg $ver in $debs: $((size / 1048576)) MiB package, $((avail / 1024)) MiB free"
		return 1
	fi
	log "downloading $pkg $ver ($((${size:-0} / 1048576)) MiB)"
	local out
	if ! out=$(cd "$debs" && papt apt-get -q download "$pkg=$ver" 2>&1); then
		apt_errors <<<"$out"
		rm -f "$debs"/*.FAILED "$debs"/partial/* 2>/dev/null || true
		warn "could not download $pkg $ver"
		return 1
	fi
	deb=$(compgen -G "$debs/${pkg}_${ver//:/%3a}_*.deb" | head -n 1 || true)
	[[ -n $deb ]] || { warn "apt-get download left no .deb for $pkg $ver"; return 1; }
	echo "$deb"
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
	local d best="" best_ver="" ver
	for d in "$cache"/*/kernel.env; do
		[[ -e $d ]] || continue
		grep -qx "series=$series" "$d" || continue
		[[ -s ${d%/kernel.env}/vmlinuz ]] || continue
		ver=$(sed -n 's/^version=//p' "$d")
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best=${d%/kernel.env}
			best_ver=$ver
		fi
	done
	[[ -n $best ]] && echo "$best"
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
	find_mirrors
	setup_apt
	write_sources
	local suites=${SERIES[$series]%%|*}
	update_lists || fallback "could not fetch the package lists of $suites from the Debian archive (no network?)"
	local found
	found=$(resolve) || fallback "no linux-image-*-cloud-amd64 package of series $series in $suites"
	local dir
	# shellcheck disable=SC2086 # "package version suite"
	dir=$(install_kernel $found) || fallback "could not fetch ${found% *}"
	echo "$dir"
}

main "$@"

# A private apt state (sourced, not run): apt-get and apt-cache run with a
# configuration, sources list, package lists and status of their own under a
# cache directory, so the system's apt state is never read for sources nor
# written. The archive URIs are read from the system's apt configuration
# (/etc/apt/sources.list{,.d/}) at run time: no archive host is named here.
# Used by scripts/vm/fetch-kernel.sh (kernels) and
# scripts/toolchain/fetch-libbpf.sh (libbpf-dev of another suite).
# shellcheck shell=bash
#
# Use: set $prog, source scripts/vm/lib.sh (die/warn/log), then this file;
# pa_option in the option loop; pa_find_mirrors [MIRROR] [SECURITY_MIRROR]; pa_init DIR; pa_sources "SUITE...";
# pa_update MAX_AGE_HOURS REFRESH OFFLINE; papt apt-get|apt-cache ARGS...;
# pa_download PKG VERSION DIR OFFLINE.

PA_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# pa_option ARGS...: an option every fetch script takes (--cache DIR,
# --max-age HOURS, --refresh, --offline, --mirror URI) into the caller's
# cache, max_age, refresh, offline or mirror; PA_SHIFT says how many words
# it took (0: not one of them).
pa_option() {
	PA_SHIFT=1
	case $1 in
	--cache) need_arg "$@"; cache=$2; PA_SHIFT=2 ;;
	--max-age)
		need_arg "$@"
		[[ $2 =~ ^[0-9]+$ ]] || usage_error "--max-age needs a whole number of hours, got '$2'"
		max_age=$2; PA_SHIFT=2 ;;
	--refresh) refresh=1 ;;
	--offline) offline=1 ;;
	--mirror) need_arg "$@"; mirror=$2; PA_SHIFT=2 ;;
	*) PA_SHIFT=0 ;;
	esac
}
pa_dir=""
pa_mirror=""
pa_sec_mirror=""

# "URI SUITE" for every enabled deb source of the system, one-line and
# deb822 formats alike.
pa_system_sources() {
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
# ends in /debian is preferred for the main one. $1 and $2 override them.
pa_find_mirrors() {
	local srcs
	srcs=$(pa_system_sources | sed 's,/*\( \),\1,')
	pa_mirror=${1:-}
	pa_sec_mirror=${2:-}
	if [[ -z $pa_mirror ]]; then
		pa_mirror=$(awk '$2 !~ /-security$/ && $1 ~ /\/debian$/ { print $1; exit }' <<<"$srcs")
		[[ -n $pa_mirror ]] || pa_mirror=$(awk '$2 !~ /-security$/ && $1 !~ /security/ { print $1; exit }' <<<"$srcs")
	fi
	if [[ -z $pa_sec_mirror ]]; then
		pa_sec_mirror=$(awk '$2 ~ /-security$/ { print $1; exit }' <<<"$srcs")
	fi
	[[ -n $pa_mirror ]] ||
		die "no Debian archive found in /etc/apt/sources.list or /etc/apt/sources.list.d/ (give --mirror URI)"
}

# The release codename the system's apt configuration follows: the suite of
# its main archive entry without a -updates/-security/-backports tail, else
# /etc/os-release's VERSION_CODENAME.
pa_codename() {
	local c
	c=$(pa_system_sources | awk -v m="$pa_mirror" '{ sub(/\/+$/, "", $1) } $1 == m { print $2; exit }')
	c=${c%%-*}
	if [[ -z $c && -r /etc/os-release ]]; then
		c=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
	fi
	[[ -n $c ]] || die "cannot tell the release codename from the apt configuration or /etc/os-release"
	echo "$c"
}

# pa_init DIR: the private configuration; everything apt reads or writes
# lives under DIR. APT_CONFIG is read before, and here replaces,
# /etc/apt/apt.conf{,.d}: no hooks of the system's run on our updates, no
# caching policy of the system's applies. The system's Acquire:: settings
# (proxies, Check-Valid-Until for a time-shifted archive, timeouts) are
# carried over: the archive must be reached as apt reaches it.
pa_init() {
	pa_dir=$1
	mkdir -p "$pa_dir"/state/lists/partial "$pa_dir"/cache/archives/partial "$pa_dir"/etc
	[[ -e $pa_dir/state/status ]] || : >"$pa_dir/state/status"
	{
		printf 'Dir::Etc::main "/dev/null";\nDir::Etc::parts "/dev/null";\n'
		printf 'Dir::State "%s/state";\nDir::State::status "%s/state/status";\n' "$pa_dir" "$pa_dir"
		printf 'Dir::Cache "%s/cache";\nDir::Cache::pkgcache "pkgcache.bin";\n' "$pa_dir"
		printf 'Dir::Cache::srcpkgcache "srcpkgcache.bin";\n'
		printf 'Dir::Etc::SourceList "%s/etc/sources.list";\nDir::Etc::SourceParts "/dev/null";\n' "$pa_dir"
		printf 'Dir::Etc::Preferences "/dev/null";\nDir::Etc::PreferencesParts "/dev/null";\n'
		printf 'APT::Architecture "amd64";\nAPT::Architectures { "amd64"; };\n'
		printf 'Acquire::Languages "none";\nAcquire::Retries "2";\n'
		# apt drops to _apt for downloads, which cannot write a root-owned cache.
		[[ $(id -u) -ne 0 ]] || printf 'APT::Sandbox::User "root";\n'
		apt-config dump 2>/dev/null | grep -E '^Acquire::' |
			grep -vE '^Acquire::(IndexTargets|Languages|Retries|Changelogs|cdrom)' || true
	} >"$pa_dir/etc/apt.conf"
}

# apt-get / apt-cache with the private configuration.
papt() {
	APT_CONFIG=$pa_dir/etc/apt.conf "$@"
}

# pa_sources "SUITE...": the private sources list (component main); security
# suites from the security archive. A changed list makes the next pa_update
# refresh.
pa_sources() {
	local suite uri new=$pa_dir/etc/sources.list.new
	: >"$new"
	for suite in $1; do
		if [[ $suite == *-security ]]; then
			[[ -n $pa_sec_mirror ]] || continue
			uri=$pa_sec_mirror
		else
			uri=$pa_mirror
		fi
		echo "deb [signed-by=$PA_KEYRING] $uri $suite main" >>"$new"
	done
	if cmp -s "$new" "$pa_dir/etc/sources.list"; then
		rm -f "$new"
	else
		mv "$new" "$pa_dir/etc/sources.list"
		rm -f "$pa_dir/updated"
	fi
}

# apt's warnings and errors, at most 3, with the archive's address masked:
# messages land in result logs, which name no hosts.
pa_errors() {
	grep -E '^(W|E): ' | head -n 3 |
		sed -E -e 's,[a-z]+://[^/ ]+,<archive>,g' -e 's/(connect to|resolving|resolve) [^ :]+/\1 <archive>/g' \
			-e "s/^/$prog: apt: /" >&2 || true
}

pa_lists_present() {
	compgen -G "$pa_dir/state/lists/*_Packages*" >/dev/null
}

# pa_update MAX_AGE_HOURS REFRESH OFFLINE: refresh the package lists when
# missing, older than MAX_AGE_HOURS or REFRESH is 1 (never when OFFLINE is
# 1). Returns 1 when they could not be fetched and no older copy exists.
pa_update() {
	local max_age=$1 refresh=$2 offline=$3 stamp=$pa_dir/updated out
	if [[ $refresh -eq 0 && -e $stamp ]] && pa_lists_present &&
		[[ -z $(find "$stamp" -mmin +$((max_age * 60))) ]]; then
		return 0
	fi
	[[ $offline -eq 0 ]] || { pa_lists_present && return 0; return 1; }
	if out=$(papt apt-get -q update 2>&1) && ! grep -qE '^(W|E): ' <<<"$out"; then
		touch "$stamp"
		return 0
	fi
	pa_errors <<<"$out"
	if pa_lists_present; then
		warn "could not refresh the Debian package lists; using the lists from $(date -r "$pa_dir/state/lists" '+%F %R')"
		return 0
	fi
	return 1
}

# pa_download PKG VERSION DIR OFFLINE: the .deb of PKG=VERSION in DIR,
# downloaded unless already there; prints its path.
pa_download() {
	local pkg=$1 ver=$2 debs=$3 offline=$4 deb size avail out
	mkdir -p "$debs"
	deb=$(compgen -G "$debs/${pkg}_${ver//:/%3a}_*.deb" | head -n 1 || true)
	if [[ -n $deb ]]; then
		echo "$deb"
		return 0
	fi
	[[ $offline -eq 0 ]] || { warn "$pkg $ver is not cached (offline)"; return 1; }
	size=$(papt apt-cache show "$pkg=$ver" 2>/dev/null | awk '/^Size:/ { print $2; exit }')
	avail=$(df -Pk "$debs" | awk 'NR == 2 { print $4 }')
	# the .deb, what is extracted from it and some room (KiB)
	if [[ -n $size && -n $avail ]] && ((avail < size / 1024 * 2 + 64 * 1024)); then
		warn "no space for $pkg $ver in $debs: $((size / 1048576)) MiB package, $((avail / 1024)) MiB free"
		return 1
	fi
	log "downloading $pkg $ver ($((${size:-0} / 1048576)) MiB)"
	if ! out=$(cd "$debs" && papt apt-get -q download "$pkg=$ver" 2>&1); then
		pa_errors <<<"$out"
		rm -f "$debs"/*.FAILED "$debs"/partial/* 2>/dev/null || true
		warn "could not download $pkg $ver"
		return 1
	fi
	deb=$(compgen -G "$debs/${pkg}_${ver//:/%3a}_*.deb" | head -n 1 || true)
	[[ -n $deb ]] || { warn "apt-get download left no .deb for $pkg $ver"; return 1; }
	echo "$deb"
}

# pa_newest_cached LINE FILE...: the directory of the FILE (an env file of
# key=value lines, one per unpacked package) that has the line LINE and the
# highest version=; nothing and 1 when none has. What a fetch falls back on
# without the archive.
pa_newest_cached() {
	local want=$1 e best="" best_ver="" ver
	shift
	for e in "$@"; do
		[[ -e $e ]] && grep -qx "$want" "$e" || continue
		ver=$(sed -n 's/^version=//p' "$e")
		if [[ -z $best_ver ]] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best=${e%/*}
			best_ver=$ver
		fi
	done
	[[ -n $best ]] && echo "$best"
}

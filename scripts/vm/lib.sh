# Shared helpers of the VM kernel matrix scripts (sourced, not run).
# shellcheck shell=bash
# Every script prefixes its messages with its own name so a matrix log says
# which step spoke.

prog=${prog:-$(basename "$0")}

die() {
	echo "$prog: error: $*" >&2
	exit 1
}

# Bad command line: exit 2 like the harness does.
usage_error() {
	echo "$prog: $*  (see $prog --help)" >&2
	exit 2
}

warn() { echo "$prog: warning: $*" >&2; }
log() { echo "$prog: $*" >&2; }

# Print the comment block after the shebang as the --help text.
print_help() {
	sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"
}

# Option value check: "--opt VALUE" needs a value that is not another option.
need_arg() {
	[[ $# -ge 2 && -n $2 && $2 != --* ]] || usage_error "option $1 needs a value"
}

cache_root() {
	echo "${XDG_CACHE_HOME:-$HOME/.cache}/bpf2bpf-bench"
}

# Commands the VM scripts run, and the Debian package of each. The project's
# own files must install what they need: as root with apt-get, we install;
# otherwise we name the command to run.
declare -A VM_TOOLS=(
	[qemu-system-x86_64]=qemu-system-x86
	[busybox]=busybox-static
	[cpio]=cpio
	[gzip]=gzip
	[apt-get]=apt
	[dpkg-deb]=dpkg
	[flock]=util-linux
	[readelf]=binutils
)

require_tools() {
	local t missing=()
	# static_elf needs readelf.
	[[ " $* " == *" busybox "* ]] && set -- "$@" readelf
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || missing+=("${VM_TOOLS[$t]:-$t}")
	done
	# busybox must be the static build: the initramfs has no libc.
	if [[ " $* " == *" busybox "* ]] && command -v busybox >/dev/null 2>&1 &&
		! static_elf "$(command -v busybox)"; then
		missing+=(busybox-static)
	fi
	[[ ${#missing[@]} -eq 0 ]] && return 0
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
		die "missing tools; install them with: sudo apt-get install ${missing[*]}"
	fi
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
		apt-get update -qq >/dev/null 2>&1 || true
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
			die "could not install ${missing[*]}"
	fi
}

# True when $1 is an ELF with no program interpreter (statically linked).
static_elf() {
	local f=$1
	[[ -r $f ]] || return 1
	local hdr
	hdr=$(LC_ALL=C readelf -lW "$f" 2>/dev/null) || return 1
	[[ $hdr != *"program interpreter"* ]]
}

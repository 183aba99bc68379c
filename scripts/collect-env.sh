#!/usr/bin/env bash
# collect-env.sh DIR [key=value ...]
# Describe this machine for a run directory: DIR/run.env (key=value lines the
# report and compare read) and DIR/env.txt (the same plus what a person needs
# to explain a result: the kernel options, sysctls and CPU mitigations that
# decide it, and the toolchain). Extra key=value arguments replace the
# defaults of the same key or are appended (e.g. attach=tp_btf timing=native).
set -euo pipefail

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
[[ ${1:-} == -h || ${1:-} == --help ]] && { usage; exit 0; }
[[ $# -ge 1 ]] || { usage >&2; exit 2; }
dir=$1
shift
[[ -d $dir ]] || { echo "collect-env.sh: $dir: no such directory" >&2; exit 2; }
for kv in "$@"; do
	[[ $kv == [a-z]*=* ]] || { echo "collect-env.sh: '$kv' is not key=value" >&2; exit 2; }
done

root=$(cd "$(dirname "$0")/.." && pwd)
buildinfo=$root/build/buildinfo.h

# One line, no control characters: a value must not break the key=value file.
# Builtins only: process start-up is the slow part on small VMs.
oneline() {
	local l=
	IFS= read -r l || true
	l=${l//[[:cntrl:]]/ }
	printf '%s\n' "${l%"${l##*[! ]}"}"
}
# What the binary was built with (the Makefile writes build/buildinfo.h), else
# what is installed now.
buildinfo() { [[ -r $buildinfo ]] && sed -n "s/^#define $1 \"\(.*\)\"$/\1/p" "$buildinfo" | oneline; }
first_line() { "$@" 2>/dev/null | oneline || true; }

clang_v=$(buildinfo BPF2BPF_CLANG || true)
[[ -n $clang_v ]] || clang_v=$(first_line "${CLANG:-clang}" --version)
bpf_cpu=$(buildinfo BPF2BPF_BPF_CPU || true)
[[ -n $bpf_cpu ]] || bpf_cpu=${BPF_CPU:-v3}
bpftool_v=$(buildinfo BPF2BPF_BPFTOOL || true)
[[ -n $bpftool_v ]] || bpftool_v=$(first_line "${BPFTOOL:-bpftool}" version)
libbpf_v=$(first_line pkg-config --modversion libbpf)
# shellcheck disable=SC2016 # dpkg-query's own ${Version} field
[[ -n $libbpf_v ]] || libbpf_v=$(first_line dpkg-query -W -f '${Version}' libbpf-dev)
cpu_model=$(awk -F': *' '/^model name|^Model name|^cpu model/ {print $2; exit}' /proc/cpuinfo 2>/dev/null | oneline)
[[ -n $cpu_model ]] || cpu_model=$(first_line sh -c "lscpu | sed -n 's/^Model name: *//p'")

keys=(schema_version kernel kernel_version host timing clang bpf_cpu libbpf bpftool
	started_utc attach outputs cpus cpu_model)
declare -A val=(
	[schema_version]=1
	[kernel]=$(uname -r)
	[kernel_version]=$(uname -v | oneline)
	[host]=$(hostname 2>/dev/null || uname -n)
	[timing]=${BPF2BPF_TIMING:-native}
	[clang]=${clang_v:-unknown}
	[bpf_cpu]=$bpf_cpu
	[libbpf]=${libbpf_v:-unknown}
	[bpftool]=${bpftool_v:-unknown}
	[started_utc]=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	[attach]=''
	[outputs]=''
	[cpus]=$(nproc)
	[cpu_model]=${cpu_model:-unknown}
)
for kv in "$@"; do
	k=${kv%%=*}
	[[ -v "val[$k]" ]] || keys+=("$k")
	val[$k]=$(printf '%s' "${kv#*=}" | oneline)
done

write_run_env() {
	for k in "${keys[@]}"; do
		printf '%s=%s\n' "$k" "${val[$k]}"
	done
}

# The options that decide which attach modes load and what a call costs.
config_opts=(BPF_SYSCALL BPF_JIT BPF_JIT_ALWAYS_ON BPF_JIT_DEFAULT_ON BPF_EVENTS KPROBES
	KPROBE_EVENTS FUNCTION_TRACER DYNAMIC_FTRACE_WITH_DIRECT_CALLS DEBUG_INFO_BTF
	MITIGATION_RETPOLINE RETPOLINE MITIGATION_RETHUNK RETHUNK NET_NS PREEMPT PREEMPT_DYNAMIC)

kernel_config() {
	local src=unknown cfg='' o
	if [[ -r /proc/config.gz ]]; then
		src=/proc/config.gz cfg=$(zcat /proc/config.gz)
	elif [[ -r /boot/config-${val[kernel]} ]]; then
		src=/boot/config-${val[kernel]} cfg=$(</boot/config-"${val[kernel]}")
	fi
	echo "source: $src"
	for o in "${config_opts[@]}"; do
		if [[ $src == unknown ]]; then
			echo "CONFIG_$o: unknown"
		elif [[ $cfg =~ (^|$'\n')(CONFIG_$o=[^$'\n']*|# CONFIG_$o is not set) ]]; then
			echo "${BASH_REMATCH[2]}"
		else
			echo "CONFIG_$o: not in config"
		fi
	done
}

sysctls() {
	local s f v
	for s in net.core.bpf_jit_enable net.core.bpf_jit_harden net.core.bpf_jit_kallsyms \
		kernel.bpf_stats_enabled kernel.unprivileged_bpf_disabled; do
		f=/proc/sys/${s//.//}
		v=unknown
		[[ -r $f ]] && read -r v <"$f"
		printf '%s = %s\n' "$s" "$v"
	done
}

vulnerabilities() {
	local d=/sys/devices/system/cpu/vulnerabilities f v
	if [[ -d $d ]]; then
		for f in "$d"/*; do
			read -r v <"$f" || true
			printf '%s: %s\n' "${f##*/}" "$v"
		done
	else
		echo "unknown ($d absent)"
	fi
}

toolchain() {
	echo "clang: $("${CLANG:-clang}" --version 2>/dev/null | tr '\n' ' ' || echo unknown)"
	echo "BPF objects built with: ${val[clang]}, -mcpu=${val[bpf_cpu]}"
	echo "libbpf: ${val[libbpf]}"
	echo "bpftool: $("${BPFTOOL:-bpftool}" version 2>/dev/null | tr '\n' ' ' || echo unknown)"
	for t in hyperfine iperf3 gnuplot; do
		echo "$t: $(first_line "$t" --version || true)"
	done
}

write_env_txt() {
	echo "# bpf2bpf-bench run environment (run.env has the machine-readable keys)"
	write_run_env
	printf '\n## kernel\n%s\n' "$(uname -a)"
	printf '\n## kernel configuration\n'
	kernel_config
	printf '\n## sysctls\n'
	sysctls
	printf '\n## CPU\nmodel: %s\nonline CPUs: %s\n' "${val[cpu_model]}" "${val[cpus]}"
	printf '\n## CPU vulnerabilities\n'
	vulnerabilities
	printf '\n## toolchain\n'
	toolchain
}

# Written beside and renamed: a reader never sees half a file.
write_run_env >"$dir/run.env.tmp"
write_env_txt >"$dir/env.txt.tmp"
mv "$dir/run.env.tmp" "$dir/run.env"
mv "$dir/env.txt.tmp" "$dir/env.txt"

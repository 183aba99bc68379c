#!/bin/sh
# The matrix job, run in each VM by /init (busybox sh): facts about the
# kernel, then the harness's sizes, a trace smoke test and a quick overhead
# run. Everything goes to /out; each step's exit status to /out/run.env, and
# a failing step does not stop the next.
#
# Usage: not run by hand; scripts/vm/mkinitramfs.sh installs it as /job.sh
# (another job file can be given with its --job).
case "${1:-}" in
-h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
# /init of the VM says where we are: on a host this job would write to /out.
if [ "${BPF2BPF_IN_VM:-}" != 1 ]; then
	echo "guest-job.sh: runs inside the matrix VM only (started by its /init)" >&2
	exit 2
fi
B=/bin/bpf2bpf-bench
OUT=/out

# TCG emulates the CPU: times measured here are not hardware times.
if [ "${BPF2BPF_ACCEL:-tcg}" = tcg ]; then timing=emulated; else timing=virtualized; fi
export BPF2BPF_TIMING=$timing

facts() {
	echo "kernel=$(uname -r)"
	echo "kernel_version=$(uname -v)"
	echo "machine=$(uname -m)"
	echo "accel=${BPF2BPF_ACCEL:-tcg}"
	echo "timing=$timing"
	echo "cpus=$(grep -c ^processor /proc/cpuinfo)"
	echo "mem_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
	echo "cmdline=$(cat /proc/cmdline)"
	echo "jit_enable=$(cat /proc/sys/net/core/bpf_jit_enable 2>/dev/null)"
	echo "jit_harden=$(cat /proc/sys/net/core/bpf_jit_harden 2>/dev/null)"
	echo "unprivileged_bpf_disabled=$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null)"
	echo "btf_vmlinux=$([ -r /sys/kernel/btf/vmlinux ] && echo yes || echo no)"
	echo "config_gz=$([ -r /proc/config.gz ] && echo yes || echo no)"
}

# step NAME COMMAND...: marker on the console, status into run.env.
step() {
	name=$1
	shift
	echo "BPF2BPF-VM: step $name"
	"$@"
	rc=$?
	echo "step_$name=$rc" >>$OUT/run.env
	[ $rc -eq 0 ] || echo "BPF2BPF-VM: step $name failed rc=$rc"
}

# trace in the background; connections once it says it is attached.
trace_smoke() {
	$B trace --duration 3 >$OUT/trace.txt 2>$OUT/trace.err &
	pid=$!
	i=0
	while ! grep -q 'Ctrl-C to stop' $OUT/trace.err 2>/dev/null; do
		kill -0 $pid 2>/dev/null || break
		i=$((i + 1))
		[ $i -le 600 ] || break # 60 s: loading is slow under TCG, not that slow
		sleep 0.1
	done
	$B hammer --connections 20 --quiet >$OUT/hammer.txt 2>&1
	hrc=$?
	wait $pid
	trc=$?
	cat $OUT/trace.err
	echo "trace lines: $(grep -c 'new tcp connection:' $OUT/trace.txt)"
	[ $hrc -eq 0 ] && [ $trc -eq 0 ]
}

facts >$OUT/run.env
[ -r /proc/config.gz ] && cp /proc/config.gz $OUT/config.gz
cat $OUT/run.env
step sizes $B sizes -o $OUT/sizes.csv --logs $OUT/verifier
step trace trace_smoke
step overhead $B overhead --quick -o $OUT/overhead

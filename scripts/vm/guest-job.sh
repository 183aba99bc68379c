#!/bin/sh
# The matrix job, run in each VM by /init (busybox sh): `bpf2bpf-bench bench
# --vm` into /out/run — the same methods, quick grid, as the host column, a
# run directory like `make bench` writes — then a trace smoke test, then the
# freplace variant traced at kprobe (its lines come from the extension
# program; tp_btf and tracepoint are tried too, and what the kernel says is
# kept), then `bench --vm --only sizes` with every other build of the harness
# in the initramfs (/bin/libbpf-<version>/bpf2bpf-bench: another libbpf) into
# /out/run-libbpf-<version>. Each step's exit status goes to /out/job.env; a
# failing step does not stop the next.
#
# Usage: not run by hand; scripts/vm/mkinitramfs.sh installs it as /job.sh
# (another job file can be given with its --job).
case "${1:-}" in
-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# step NAME COMMAND...: marker on the console, status into job.env.
step() {
	name=$1
	shift
	echo "BPF2BPF-VM: step $name"
	"$@"
	rc=$?
	echo "step_$name=$rc" >>$OUT/job.env
	[ $rc -eq 0 ] || echo "BPF2BPF-VM: step $name failed rc=$rc"
}

# trace_smoke NAME [TRACE ARGS]: trace in the background into NAME.txt and
# NAME.err; 20 connections once it says it is attached, while the kernel's
# symbols of the JITed programs go to NAME.kallsyms.
trace_smoke() {
	t=$1 # not `name`: step's, which calls this
	shift
	$B trace --duration 3 "$@" >$OUT/$t.txt 2>$OUT/$t.err &
	pid=$!
	i=0
	while ! grep -q 'Ctrl-C to stop' $OUT/$t.err 2>/dev/null; do
		kill -0 $pid 2>/dev/null || break
		i=$((i + 1))
		[ $i -le 600 ] || break # 60 s: loading is slow under TCG, not that slow
		sleep 0.1
	done
	grep -E ' bpf_prog_[0-9a-f]+_(kp|fe|tpb|tp)_' /proc/kallsyms >$OUT/$t.kallsyms
	$B hammer --connections 20 --quiet >$OUT/$t.hammer 2>&1
	hrc=$?
	wait $pid
	trc=$?
	cat $OUT/$t.err
	echo "$t lines: $(grep -c 'new tcp connection:' $OUT/$t.txt)"
	[ $hrc -eq 0 ] && [ $trc -eq 0 ]
}

{
	echo "accel=${BPF2BPF_ACCEL:-tcg}"
	echo "timing=$timing"
	echo "cmdline=$(cat /proc/cmdline)"
} >$OUT/job.env
[ -r /proc/config.gz ] && cp /proc/config.gz $OUT/config.gz
# JITed programs in /proc/kallsyms: the extension shows there once loaded.
echo 1 >/proc/sys/net/core/bpf_jit_kallsyms 2>/dev/null
step bench $B bench --vm -o $OUT/run
step trace trace_smoke trace
step trace_freplace trace_smoke trace-freplace-kprobe --variant freplace --attach kprobe
for mode in tp_btf tracepoint; do # refused before 6.8, in the kernel's words
	trace_smoke trace-freplace-$mode --variant freplace --attach $mode
done
for b in /bin/libbpf-*/bpf2bpf-bench; do
	[ -x "$b" ] || continue
	ver=${b#/bin/libbpf-}
	ver=${ver%/bpf2bpf-bench}
	step "libbpf_$ver" $b bench --vm --only sizes -o $OUT/run-libbpf-$ver
done

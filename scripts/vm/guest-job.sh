#!/bin/sh
# The matrix job, run in each VM by /init (busybox sh): `bpf2bpf-bench bench
# --vm` into /out/run — the same methods, quick grid, as the host column, a
# run directory like `make bench` writes — then a trace smoke test. Each
# step's exit status goes to /out/job.env; a failing step does not stop the
# next.
#
# Usage: not run by hand; scripts/vm/mkinitramfs.sh installs it as /job.sh
# (another job file can be given with its --job).
case "${1:-}" in
-h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

{
	echo "accel=${BPF2BPF_ACCEL:-tcg}"
	echo "timing=$timing"
	echo "cmdline=$(cat /proc/cmdline)"
} >$OUT/job.env
[ -r /proc/config.gz ] && cp /proc/config.gz $OUT/config.gz
step bench $B bench --vm -o $OUT/run
step trace trace_smoke

#!/bin/busybox sh
# /init of the matrix VM (busybox sh, PID 1): mount the kernel filesystems,
# bring up lo, run /job.sh with its files going to /out, send /out to the
# host over the second serial port, power off.
#
# Usage: not run by hand; scripts/vm/mkinitramfs.sh installs it as /init.
# Kernel command line parameters read here:
#   bpf2bpf.accel=tcg|kvm     how the VM runs (tcg: timings are emulated)
#   bpf2bpf.timeout=SECONDS   time allowed for /job.sh (default 240)
#
# Console markers the host watches for (scripts/vm/boot.sh):
#   BPF2BPF-VM: init <release>       init runs: the boot made progress
#   BPF2BPF-VM: step <name>          a job step starts (printed by the job)
#   BPF2BPF-VM: done rc=<rc>         the job ended, results were sent
# On /dev/ttyS1: BPF2BPF-RESULTS-BEGIN, base64 of /out as tar.gz,
# BPF2BPF-RESULTS-END size=<bytes> md5=<sum>.

# shellcheck shell=dash disable=SC3040 # busybox ash: has pipefail
# Only ever PID 1 of the VM: on a host this would mount over /tmp and /run,
# install busybox links into /bin and power the machine off.
if [ "$$" != 1 ]; then
	case "${1:-}" in
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	esac
	echo "guest-init.sh: this is the /init of the matrix VM (PID 1 only); not running it here" >&2
	exit 2
fi

/bin/busybox --install -s /bin
export PATH=/bin HOME=/ TMPDIR=/tmp BPF2BPF_IN_VM=1

# -t devtmpfs first: /dev/ttyS1 and /dev/null must be real device nodes.
mkdir -p /dev /proc /sys /tmp /out /run
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
# tracefs has its own mount point from 4.1 on; older kernels only under debugfs.
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing
ln -s /run /var/run 2>/dev/null || { mkdir -p /var && ln -s /run /var/run; }
ip link set lo up
# Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK.
ulimit -l unlimited

param() {
	sed -n "s/.*bpf2bpf\.$1=\([^ ]*\).*/\1/p" /proc/cmdline
}
accel=$(param accel)
timeout=$(param timeout)
: "${accel:=tcg}" "${timeout:=240}"
export BPF2BPF_ACCEL=$accel

echo "BPF2BPF-VM: init $(uname -r)"

# The job's own output is teed to the console so a hung step shows where.
set -o pipefail
timeout "$timeout" sh /job.sh 2>&1 | tee /out/job.log
rc=$?
[ $rc -eq 143 ] && echo "BPF2BPF-VM: job timed out after ${timeout}s"
echo "job_rc=$rc" >>/out/job.env

# Results: a tar.gz framed by markers, in base64 so the tty passes it intact.
send_results() {
	tar -C /out -czf /tmp/out.tgz . || return 1
	size=$(wc -c </tmp/out.tgz)
	sum=$(md5sum </tmp/out.tgz | cut -d' ' -f1)
	stty -F /dev/ttyS1 raw -echo 115200 2>/dev/null
	{
		echo "BPF2BPF-RESULTS-BEGIN"
		base64 </tmp/out.tgz
		echo "BPF2BPF-RESULTS-END size=$size md5=$sum"
	} >/dev/ttyS1
	# The emulated 16550 moves about 11 KB/s at 115200 baud, and close()
	# does not wait for the wire on every kernel (7.2 lost the tail to
	# poweroff): wait for the base64 (4/3 of size) to drain, plus margin.
	sleep $((size * 4 / 3 / 10000 + 3))
}
send_results || echo "BPF2BPF-VM: could not send the results"
echo "BPF2BPF-VM: done rc=$rc"
sync
poweroff -f

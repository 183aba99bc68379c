#!/usr/bin/env bash
# Boot a kernel with the matrix initramfs in qemu, wait for the job, and
# unpack the results the guest sends over its second serial port into DIR.
#
# Usage: scripts/vm/boot.sh [options] --kernel VMLINUZ --initrd CPIO --out DIR
#   --kernel FILE           the kernel image (bzImage / vmlinuz)
#   --initrd FILE           initramfs from scripts/vm/mkinitramfs.sh
#   --out DIR               results, console.log and boot.env go here
#   --timeout S             whole run, boot to power-off (default 300)
#   --progress-timeout S    the init marker must show by then (default 60)
#   --accel auto|kvm|tcg    auto: KVM when /dev/kvm is usable and a KVM boot
#                           makes progress, else TCG (default auto)
#   --mem MIB               guest memory (default 1536)
#   --smp N                 guest vCPUs (default 2)
#   --append ARGS           extra kernel command line
#   --name NAME             what to call the kernel in messages
#   -h, --help
#
# Exit status: 0 results received and the job succeeded; 1 results received,
# a job step failed; 3 no boot progress (or the kernel died before init);
# 4 timed out after boot; 5 no or corrupt results; 2 bad usage.
# DIR/boot.env says what happened (status=, reason=, accel=, boot_s=, wall_s=).
set -euo pipefail
prog=boot.sh
. "$(dirname "$0")/lib.sh"

kernel=""
initrd=""
out=""
timeout=300
progress_timeout=60
accel=auto
mem=1536
smp=2
append=""
name=""

positive_int() {
	[[ $2 =~ ^[1-9][0-9]*$ ]] || usage_error "$1 needs a positive whole number, got '$2'"
}

parse_args() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		-h | --help) print_help; exit 0 ;;
		--kernel) need_arg "$@"; kernel=$2; shift 2 ;;
		--initrd) need_arg "$@"; initrd=$2; shift 2 ;;
		--out) need_arg "$@"; out=$2; shift 2 ;;
		--timeout) need_arg "$@"; positive_int "$@"; timeout=$2; shift 2 ;;
		--progress-timeout) need_arg "$@"; positive_int "$@"; progress_timeout=$2; shift 2 ;;
		--accel)
			need_arg "$@"
			[[ $2 =~ ^(auto|kvm|tcg)$ ]] || usage_error "--accel is auto, kvm or tcg, got '$2'"
			accel=$2; shift 2 ;;
		--mem) need_arg "$@"; positive_int "$@"; mem=$2; shift 2 ;;
		--smp) need_arg "$@"; positive_int "$@"; smp=$2; shift 2 ;;
		--append) need_arg "$@"; append=$2; shift 2 ;;
		--name) need_arg "$@"; name=$2; shift 2 ;;
		*) usage_error "unknown argument '$1'" ;;
		esac
	done
	[[ -n $kernel && -n $initrd && -n $out ]] || usage_error "--kernel, --initrd and --out are required"
	[[ -r $kernel ]] || die "kernel '$kernel' not found"
	[[ -r $initrd ]] || die "initramfs '$initrd' not found"
	((progress_timeout < timeout)) || progress_timeout=$timeout
	[[ -n $name ]] || name=$(basename "$kernel")
}

kvm_usable() {
	[[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]]
}

qpid=""
stop_qemu() {
	[[ -n $qpid ]] || return 0
	kill "$qpid" 2>/dev/null || true
	# qemu exits on SIGTERM at once; a stuck one gets SIGKILL after 5 s.
	local i
	for i in $(seq 50); do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	qpid=""
}
trap stop_qemu EXIT
trap 'stop_qemu; exit 130' INT TERM

# Set by run_qemu: how the boot went.
status=""
reason=""
boot_s=""
wall_s=""

# run_qemu ACCEL PROGRESS_TIMEOUT: one boot, watched until power-off,
# no progress or the time limit.
run_qemu() {
	# The guest's job gets the time less a reserve for booting and sending
	# the results, so a slow job still returns what it has.
	local mode=$1 ptimeout=$2 cpu=() t0 now elapsed
	[[ $mode == kvm ]] && cpu=(-cpu host) || cpu=(-cpu max)
	rm -f "$out/console.log" "$out/serial1.log"
	t0=$(date +%s.%N)
	qemu-system-x86_64 -accel "$mode" "${cpu[@]}" -smp "$smp" -m "$mem" \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial "file:$out/console.log" -serial "file:$out/serial1.log" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 bpf2bpf.accel=$mode bpf2bpf.timeout=$((timeout - (timeout / 4 < 60 ? timeout / 4 : 60))) $append" \
		</dev/null >"$out/qemu.log" 2>&1 &
	qpid=$!
	# Every attempt starts clean: a KVM attempt's reason must not stay on
	# the TCG attempt that follows it and ends ok.
	status=""
	reason=""
	boot_s=""
	while :; do
		now=$(date +%s.%N)
		elapsed=$(awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
		if [[ -z $boot_s ]] && grep -qa 'BPF2BPF-VM: init' "$out/console.log" 2>/dev/null; then
			boot_s=$elapsed
		fi
		if ! kill -0 "$qpid" 2>/dev/null; then
			wait "$qpid" 2>/dev/null || true
			qpid=""
			if [[ -z $boot_s ]]; then
				status=no-boot
				reason="the VM stopped before init ran$(panic_words)"
			else
				status=exited
			fi
			break
		fi
		if [[ -z $boot_s ]] && awk -v e="$elapsed" -v t="$ptimeout" 'BEGIN { exit !(e >= t) }'; then
			status=no-progress
			reason="no init marker after ${ptimeout}s ($mode)$(panic_words)"
			stop_qemu
			break
		fi
		if awk -v e="$elapsed" -v t="$timeout" 'BEGIN { exit !(e >= t) }'; then
			status=timeout
			reason="still running after ${timeout}s ($mode), last step: $(last_step)"
			stop_qemu
			break
		fi
		sleep 0.2
	done
	wall_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

# ": <the kernel's last words>" when it panicked or oopsed.
panic_words() {
	local w
	w=$(grep -aE 'Kernel panic|BUG:|Oops|Unable to mount|No working init|not syncing' \
		"$out/console.log" 2>/dev/null | head -n 1 | sed 's/^\[[^]]*\] *//' | tr -d '\r' | cut -c1-160)
	# Nothing from the kernel: qemu itself may have said why.
	[[ -n $w ]] || w=$(tail -n 1 "$out/qemu.log" 2>/dev/null | cut -c1-160)
	[[ -z $w ]] || echo ": $w"
}

last_step() {
	grep -a 'BPF2BPF-VM: step' "$out/console.log" 2>/dev/null | tail -n 1 | sed 's/.*step //' | tr -d '\r' || true
}

# Decode the framed tar.gz from serial1.log into $out; 1 when missing or
# corrupt (reason set).
unpack_results() {
	local raw=$out/serial1.log tgz=$out/results.tgz end size sum
	end=$(tr -d '\r' <"$raw" 2>/dev/null | grep -a '^BPF2BPF-RESULTS-END' | tail -n 1 || true)
	if [[ -z $end ]]; then
		reason="no results came back over the serial port (job: $(last_step))"
		return 1
	fi
	size=$(sed -n 's/.*size=\([0-9]*\).*/\1/p' <<<"$end")
	sum=$(sed -n 's/.*md5=\([0-9a-f]*\).*/\1/p' <<<"$end")
	tr -d '\r' <"$raw" | awk '/^BPF2BPF-RESULTS-BEGIN/ { f = 1; next } /^BPF2BPF-RESULTS-END/ { f = 0 } f' |
		base64 -d >"$tgz" 2>/dev/null || true
	if [[ $(wc -c <"$tgz") != "$size" || $(md5sum <"$tgz" | cut -d' ' -f1) != "$sum" ]]; then
		reason="results corrupt in transit: $(wc -c <"$tgz") of $size bytes, md5 mismatch"
		return 1
	fi
	tar -xzmf "$tgz" -C "$out" || { reason="results archive does not unpack"; return 1; }
	rm -f "$tgz" "$raw"
}

write_env() {
	{
		echo "status=$status"
		echo "reason=$reason"
		echo "accel=$used_accel"
		echo "boot_s=$boot_s"
		echo "wall_s=$wall_s"
		echo "kernel_name=$name"
		echo "cpu=$([[ $used_accel == kvm ]] && echo host || echo max)"
		echo "smp=$smp"
		echo "mem_mib=$mem"
	} >"$out/boot.env"
}

console_tail() {
	echo "$prog: last console lines:" >&2
	tail -n 25 "$out/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/  | /' >&2 || true
}

used_accel=""
main() {
	parse_args "$@"
	require_tools qemu-system-x86_64
	mkdir -p "$out"
	if [[ $accel == kvm ]] || { [[ $accel == auto ]] && kvm_usable; }; then
		used_accel=kvm
		# A KVM that cannot boot (e.g. nested KVM that hangs) is cut short.
		run_qemu kvm "$((progress_timeout < 30 ? progress_timeout : 30))"
		if [[ $status == no-progress || $status == no-boot ]] && [[ $accel == auto ]]; then
			warn "KVM: $reason; falling back to TCG"
			used_accel=tcg
			run_qemu tcg "$progress_timeout"
		fi
	else
		used_accel=tcg
		run_qemu tcg "$progress_timeout"
	fi
	local rc=0
	case $status in
	no-boot | no-progress) rc=3 ;;
	timeout) rc=4 ;;
	exited)
		if ! unpack_results; then
			status=no-results
			rc=5
		else
			local job_rc
			job_rc=$(sed -n 's/^job_rc=//p' "$out/job.env" 2>/dev/null | tail -n 1)
			if [[ $job_rc == 0 ]] && ! grep -qE '^step_[a-z_]+=[1-9]' "$out/job.env"; then
				status=ok
			else
				status=job-failed
				reason="failed steps: $(sed -n 's/^step_\([a-z_]*\)=[1-9].*/\1/p' "$out/job.env" | tr '\n' ' ')job_rc=$job_rc"
				rc=1
			fi
		fi
		;;
	esac
	write_env
	if [[ $rc -ne 0 ]]; then
		warn "$name: $status: $reason"
		[[ $rc -eq 1 ]] || console_tail
	fi
	log "$name: $status, $used_accel, init after ${boot_s:-?} s, ${wall_s} s in all"
	return $rc
}

main "$@"

#!/usr/bin/env bash
# scripts/vm/boot.sh's KVM → TCG fallback, with a stand-in qemu on PATH (no
# VM, no kernel, no timing): the KVM attempt dies before init, the TCG one
# boots and sends results. boot.env must then say status=ok with an empty
# reason: the KVM attempt's reason must not stay on the TCG row.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

if ! [[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]]; then
	skip "KVM fallback: /dev/kvm is not usable here, so boot.sh --accel auto never tries KVM"
	finish
fi

mkdir -p "$TMP/bin" "$TMP/payload"
echo "job_rc=0" >"$TMP/payload/job.env"
cat >"$TMP/bin/qemu-system-x86_64" <<EOF
#!/usr/bin/env bash
# Stand-in qemu: -accel kvm panics before init, -accel tcg boots and sends
# $TMP/payload framed as guest-init.sh frames it.
accel="" serials=()
while [[ \$# -gt 0 ]]; do
	case \$1 in
	-accel) accel=\$2; shift 2 ;;
	-serial) serials+=("\${2#file:}"); shift 2 ;;
	*) shift ;;
	esac
done
if [[ \$accel == kvm ]]; then
	echo "Kernel panic - not syncing: stand-in KVM refuses" >"\${serials[0]}"
	exit 1
fi
echo "BPF2BPF-VM: init" >"\${serials[0]}"
tar -C "$TMP/payload" -czf "$TMP/out.tgz" .
{
	echo "BPF2BPF-RESULTS-BEGIN"
	base64 <"$TMP/out.tgz"
	echo "BPF2BPF-RESULTS-END size=\$(wc -c <"$TMP/out.tgz") md5=\$(md5sum <"$TMP/out.tgz" | cut -d' ' -f1)"
} >"\${serials[1]}"
exit 0
EOF
chmod +x "$TMP/bin/qemu-system-x86_64"
: >"$TMP/vmlinuz"
: >"$TMP/initrd"

PATH="$TMP/bin:$PATH" timeout 60 scripts/vm/boot.sh --accel auto --kernel "$TMP/vmlinuz" \
	--initrd "$TMP/initrd" --out "$TMP/out" --timeout 30 --progress-timeout 10 \
	--name stand-in >"$TMP/log" 2>&1
rc=$?
check_eq "boot.sh exit status after the fallback (0: ok)" "$rc" 0
check "boot.sh warned about the KVM attempt" grep -q "falling back to TCG" "$TMP/log"
check_eq "boot.env status" "$(sed -n 's/^status=//p' "$TMP/out/boot.env")" ok
check_eq "boot.env accel" "$(sed -n 's/^accel=//p' "$TMP/out/boot.env")" tcg
check_eq "boot.env reason of an ok TCG row is empty (no KVM reason)" \
	"$(sed -n 's/^reason=//p' "$TMP/out/boot.env")" ""
finish

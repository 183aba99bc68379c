#!/usr/bin/env bash
# The leak check of lib.sh (check_nothing_left) must still catch a real leak
# although it waits for the kernel to free programs: a program of ours kept
# alive by a pin, and a link kept attached by a pin, in a bpffs this test
# mounts in its own temporary directory, must make it fail within its bounded
# wait, naming them; once unpinned it must pass again.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

FS=$TMP/bpffs
mkdir -p "$FS"
# Registered before the mount: however the test ends, the pins go (which
# frees the programs) and the mount with them.
at_exit "rm -f '$FS'/leaked_*; umount '$FS' 2>/dev/null"
if ! mount -t bpf bpf "$FS" 2>"$TMP/mount.err"; then
	fail "mount -t bpf in $FS: $(cat "$TMP/mount.err")"
	finish
fi

# The check as a test calls it, in a subshell so its verdict lands in a
# variable, not in this suite's counts. Sets VERDICT and ELAPSED_MS.
run_leak_check() {
	local start
	start=$(now_ms)
	VERDICT=$(check_nothing_left "leak check")
	ELAPSED_MS=$(($(now_ms) - start))
	echo "  (the leak check said: $VERDICT)"
}

run_leak_check
check "before any pin: the check passes" grep -q '^ok   - leak check (after' <<<"$VERDICT"

# trace loads and attaches our programs; while it holds them, pin one
# program and one link of another program, then let trace exit.
"$BIN" trace >/dev/null 2>"$TMP/trace.err" &
pid=$!
await_line "$pid" "$TMP/trace.err" 'Ctrl-C to stop' "trace attached" || finish
fdinfo=$(cat /proc/"$pid"/fdinfo/* 2>/dev/null)
links=$(awk '$1 == "link_id:" { l = $2 } $1 == "prog_id:" && l { print l, $2; l = "" }' <<<"$fdinfo" | sort -n)
read -r link_id link_prog < <(head -n1 <<<"$links")
progs=$(awk '$1 == "prog_id:" { print $2 }' <<<"$fdinfo" | sort -un)
pin_prog=$(grep -vx "$link_prog" <<<"$progs" | head -n1)
name_of() { ours_loaded | awk -v id="$1" '$1 == id { print $2 }'; }
link_name=$(name_of "$link_prog") pin_name=$(name_of "$pin_prog")
check "trace holds two programs of ours, one through a link ($pin_prog:$pin_name, link $link_id -> $link_prog:$link_name)" \
	test -n "$link_id" -a -n "$link_name" -a -n "$pin_name"
check "pin program $pin_prog" bpftool prog pin id "$pin_prog" "$FS/leaked_prog"
check "pin link $link_id" bpftool link pin id "$link_id" "$FS/leaked_link"
kill -INT "$pid"
wait "$pid"
check_eq "trace exits 0" "$?" 0

# Both pins: the pinned program, the linked program and its link remain.
run_leak_check
check "with both pins: the check fails" grep -q '^FAIL - leak check: still there after' <<<"$VERDICT"
check "...naming the pinned program (id and name)" grep -q "prog $pin_prog $pin_name" <<<"$VERDICT"
check "...the program kept attached" grep -q "prog $link_prog $link_name" <<<"$VERDICT"
check "...and its link" grep -q "link $link_id -> prog $link_prog $link_name" <<<"$VERDICT"
check "...after waiting its bound, $LEAK_WAIT s, and not much longer (took $ELAPSED_MS ms)" \
	test "$ELAPSED_MS" -ge $((LEAK_WAIT * 1000)) -a "$ELAPSED_MS" -le $((LEAK_WAIT * 1000 + 3000))

# The program's pin gone: only the attached one and its link remain.
rm -f "$FS/leaked_prog"
run_leak_check
check "without the program's pin: the check still fails on the link" \
	grep -q "link $link_id -> prog $link_prog $link_name" <<<"$VERDICT"
lacks() { ! grep -q -- "$1" <<<"$VERDICT"; }
check "...and no longer names program $pin_prog" lacks "prog $pin_prog "

# No pin left: the kernel frees the rest after a grace period, which the
# check waits for.
rm -f "$FS/leaked_link"
run_leak_check
check "no pin left: the check passes again" grep -q '^ok   - leak check (after' <<<"$VERDICT"
umount "$FS"
check_eq "our bpffs unmounted" "$(findmnt -n -o FSTYPE "$FS")" ""
finish

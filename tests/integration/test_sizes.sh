#!/usr/bin/env bash
# sizes, cross-checked against independent tools: bpftool prog show (same
# program ids, held loaded), readelf -S/-s (the same object files), the
# verifier log, and the JIT function lengths.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# Size of section $2 in readelf -S -W (the field four after the name: the
# "[ N]" index column splits in two for small N).
sec_size() {
	local hex
	hex=$(readelf -S -W "$1" 2>/dev/null |
		awk -v s="$2" '{ for (i = 1; i <= NF; i++) if ($i == s) { print $(i + 4); exit } }')
	[ -n "$hex" ] && echo $((16#$hex))
}

mkfifo "$TMP/hold"
"$BIN" sizes --attach auto --hold -o "$TMP/sizes.csv" --logs "$TMP/logs" --dump "$TMP/dumps" \
	<"$TMP/hold" 2>"$TMP/stderr" &
pid=$!
exec 3>"$TMP/hold" # keeps the programs loaded until closed
# It says so once the CSV is written (renamed into place) and all is loaded.
await_line "$pid" "$TMP/stderr" '^sizes: holding [0-9]* loaded objects' "sizes loaded everything and holds it"
check "sizes wrote its CSV" test -s "$TMP/sizes.csv"
header=$(head -n1 "$TMP/sizes.csv")
mode=$(sed -n 's/^attach auto: picked \([a-z_]*\).*/\1/p' "$TMP/stderr")
check "auto picked a mode (here: ${mode:-none})" test -n "$mode"

for col in kernel variant attach program elf_file_bytes elf_code_bytes elf_btf_bytes insn_cnt \
	verified_insns total_states peak_states verify_usec stack_depth xlated_bytes jited_bytes \
	jited_funcs memlock_bytes status reason; do
	grep -q "\(^\|,\)$col\(,\|$\)" <<<"$header" || fail "column $col missing"
done

for v in $(sed -n 's/^VARIANT(\([a-z0-9_]*\),.*/\1/p' variants/variants.def); do
	# A variant with an ext object (variants.def): TOTAL covers both objects.
	ext=$(sed -n "s/^VARIANT($v, *[A-Z]*, *[a-z0-9_-]*, *\([a-z0-9_]*\),.*/\1/p" variants/variants.def)
	objs=(build/$v.bpf.o ${ext:+build/$ext.bpf.o})
	total=$(grep "^[^,]*,$v,$mode,TOTAL," "$TMP/sizes.csv")
	# This kernel refuses extension programs outright (EPERM, no verifier
	# log): a skipped row in its words; tests/integration/test_freplace.sh
	# checks the rest.
	why=$(col "$header" "$total" reason)
	if [ -n "$ext" ] && [ "$(col "$header" "$total" status)" = skipped ] &&
		grep -q "BPF program load failed: Operation not permitted" <<<"$why"; then
		pass "$v: skipped at $mode, in the kernel's words: $why"
		continue
	fi
	check_eq "$v: TOTAL status at $mode" "$(col "$header" "$total" status)" ok
	check_eq "$v: TOTAL object" "$(col "$header" "$total" object)" "hooks${ext:++ext}"
	check_eq "$v: elf_file_bytes = stat size of ${objs[*]}" "$(col "$header" "$total" elf_file_bytes)" \
		"$(($(stat -c %s "${objs[@]}" | paste -sd+)))"
	btf=0 text=0
	for o in "${objs[@]}"; do
		btf=$((btf + $(sec_size "$o" .BTF))) text=$((text + $(sec_size "$o" .text || echo 0)))
	done
	check_eq "$v: elf_btf_bytes = readelf .BTF" "$(col "$header" "$total" elf_btf_bytes)" "$btf"
	sum_code=$text
	while IFS= read -r row; do
		prog=$(col "$header" "$row" program)
		obj=build/$v.bpf.o
		[ "$(col "$header" "$row" object)" = ext ] && obj=build/$ext.bpf.o
		id=$(col "$header" "$row" prog_id)
		json=$(bpftool prog show id "$id" --json)
		check_eq "$v/$prog: xlated = bpftool" "$(col "$header" "$row" xlated_bytes)" \
			"$(grep -o '"bytes_xlated":[0-9]*' <<<"$json" | cut -d: -f2)"
		check_eq "$v/$prog: jited = bpftool" "$(col "$header" "$row" jited_bytes)" \
			"$(grep -o '"bytes_jited":[0-9]*' <<<"$json" | cut -d: -f2)"
		check_eq "$v/$prog: memlock = bpftool" "$(col "$header" "$row" memlock_bytes)" \
			"$(grep -o '"bytes_memlock":[0-9]*' <<<"$json" | cut -d: -f2)"
		sym=$(readelf -s -W "$obj" 2>/dev/null | awk -v p="$prog" '$8 == p && $4 == "FUNC" { print $3 }')
		check_eq "$v/$prog: elf_code = readelf symbol size" \
			"$(col "$header" "$row" elf_code_bytes)" "$sym"
		sum_code=$((sum_code + sym))
		lens=$(col "$header" "$row" jited_func_lens)
		check_eq "$v/$prog: JIT function lengths add up to jited_bytes" \
			"$((${lens//+/ + }))" "$(col "$header" "$row" jited_bytes)"
		log=$TMP/logs/$v-$mode-$prog.log
		processed=$(sed -n 's/^processed \([0-9]*\) insns.*/\1/p' "$log" | tail -n1)
		check_eq "$v/$prog: verified_insns = verifier log" \
			"$(col "$header" "$row" verified_insns)" "$processed"
		# libbpf appends every called .text subprogram to the program: what the
		# kernel is given is the program's ELF code plus all of .text here.
		insns=$(col "$header" "$row" insn_cnt)
		case $prog in
		*_tc | *) [ "$v" = tailcall ] || [ "$v" = empty ] || [ "$v" = inline ] &&
			want=$((sym / 8)) || want=$(((sym + text) / 8)) ;;
		esac
		# With an ext object: its programs inline the handler; a hook appends
		# only the stub it calls (variants/freplace.bpf.h names the stubs
		# after the mode's prefix).
		if [ -n "$ext" ] && [ "$obj" != "build/$v.bpf.o" ]; then
			want=$((sym / 8))
		elif [ -n "$ext" ]; then
			stub=$(readelf -s -W "$obj" | awk -v f="handle_new_conn_${prog%%_*}" '$8 == f { print $3 }')
			want=$(((sym + stub) / 8))
		fi
		check_eq "$v/$prog: insn_cnt = ELF code + appended subprograms" "$insns" "$want"
		check "$v/$prog: xlated dump (bpftool) kept" test -s "$TMP/dumps/$v-$mode-$prog.xlated.txt"
		check "$v/$prog: JIT disassembly kept" grep -q 'file format binary' \
			"$TMP/dumps/$v-$mode-$prog.jited.txt"
	done < <(grep "^[^,]*,$v,$mode,[a-z_]*," "$TMP/sizes.csv" | grep -v ',TOTAL,')
	check_eq "$v: TOTAL elf_code = programs + .text (readelf)" \
		"$(col "$header" "$total" elf_code_bytes)" "$sum_code"
done

# bpf2bpf calls keep the subprogram as a second JIT function.
row=$(grep "^[^,]*,noinline,$mode,[a-z]*_active," "$TMP/sizes.csv")
check_eq "noinline: 2 JIT functions per program" "$(col "$header" "$row" jited_funcs)" 2
row=$(grep "^[^,]*,inline,$mode,[a-z]*_active," "$TMP/sizes.csv")
check_eq "inline: 1 JIT function per program" "$(col "$header" "$row" jited_funcs)" 1

exec 3>&-
wait "$pid"
check_eq "sizes exit status" "$?" 0
check_nothing_left "nothing of ours left loaded after exit"
finish

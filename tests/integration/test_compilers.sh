#!/usr/bin/env bash
# make compilers on a reduced matrix (clang-14 and clang-19 x -mcpu v3 and v4
# x the system's and the backports' libbpf): clang 14's refusal of v4 is a
# skipped column in the compiler's own words; every other column ran its own
# build (the ELF sizes it reports are readelf's of its build directory's
# objects), and its run.env names its compiler, CPU and libbpf (checked
# against clang --version, dpkg and the fetched package); both libbpf columns
# of one compiler x CPU have byte-identical objects; compare works between
# two columns; the report has the findings; the default build is untouched.
# env COMPILERS_KEEP=1 keeps the run directory.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

COMPILERS="clang-14 clang-19"
CPUS="v3 v4"
sum_default() { sha256sum build/*.bpf.o | sha256sum; }
before=$(sum_default)

start=$(now_ms)
scripts/compilers.sh --compilers "$COMPILERS" --cpus "$CPUS" --libbpfs "system backports" \
	--results "$TMP/res" --host-bin build/bpf2bpf-bench >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "compilers.sh exit status (took $(seconds_since "$start") s)" "$rc" 0
[ "$rc" -eq 0 ] || tail -n 5 "$TMP/err"
report=$(tail -n 1 "$TMP/out")
check "the last line is the report ($report)" test -s "$report"
R=$(dirname "$report")
[ "${COMPILERS_KEEP:-0}" = 1 ] && cp -r "$R" results/ && echo "kept in results/$(basename "$R")"
check_eq "8 columns (2 compilers x 2 CPUs x 2 libbpf)" "$(wc -l <"$R/columns" 2>/dev/null)" 8
env_get() { sed -n "s/^$1=//p" "$2" | tail -n 1; }

sys_pkg=$(dpkg-query -W -f='${Version}' libbpf-dev)
bp_pkg=$(env_get version "$(scripts/toolchain/fetch-libbpf.sh --offline backports 2>/dev/null)/libbpf.env")
check "the backports' libbpf-dev was fetched ($bp_pkg), another than the system's ($sys_pkg)" \
	test -n "$bp_pkg" -a "$bp_pkg" != "$sys_pkg"
words=$(clang-14 -target bpf -mcpu=v4 -c -x c /dev/null -o /dev/null 2>&1 | grep -m1 error)
check "clang-14 itself refuses -mcpu=v4 ($words)" test -n "$words"

while read -r col; do
	d=$R/$col
	clang=$(env_get clang "$d/toolchain.env")
	cpu=$(env_get bpf_cpu "$d/toolchain.env")
	pkg=$(env_get libbpf_package "$d/toolchain.env")
	if [ "$clang" = clang-14 ] && [ "$cpu" = v4 ]; then
		check_eq "$col: skipped" "$(env_get status "$d/toolchain.env")" skipped
		check_eq "$col: in the compiler's own words" "$(env_get reason "$d/toolchain.env")" "$words"
		check "$col: nothing built" test ! -e "build/tc/$col"
		continue
	fi
	check_eq "$col: ok" "$(env_get status "$d/toolchain.env")" ok
	e=$d/run/run.env
	check_eq "$col: run.env clang = $clang --version" "$(env_get clang "$e")" "$($clang --version | head -n 1)"
	check_eq "$col: run.env bpf_cpu" "$(env_get bpf_cpu "$e")" "$cpu"
	case $(env_get libbpf "$d/toolchain.env") in
	system) want=$sys_pkg ;;
	*) want=$bp_pkg ;;
	esac
	check_eq "$col: run.env names its own libbpf package" "$(env_get libbpf_package "$e")" "$want"
	up=${want#*:}
	up=${up%%-*}
	check_eq "$col: the binary's libbpf_version_string() is that package's" \
		"$(env_get libbpf "$e")" "v${up%.*}"
	# The column measured its own build's objects: ELF sizes = readelf's.
	row=$(grep '^[^,]*,noinline,[a-z_]*,[a-z]*_active,' "$d/run/sizes.csv" | grep ',ok,' | head -n 1)
	prog=$(cut -d, -f4 <<<"$row")
	sym=$(readelf -s -W "build/tc/$col/noinline.bpf.o" 2>/dev/null | awk -v p="$prog" '$8 == p && $4 == "FUNC" { print $3 }')
	check_eq "$col: noinline/$prog elf_code_bytes = readelf of build/tc/$col" \
		"$(col "$(head -n 1 "$d/run/sizes.csv")" "$row" elf_code_bytes)" "$sym"
	check_eq "$col: toolchain.env objects = sha256 of build/tc/$col's objects" \
		"$(env_get objects "$d/toolchain.env")" \
		"$(cat $(ls build/tc/"$col"/*.bpf.o | grep -v '\.tmp\.bpf\.o$' | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)"
done <"$R/columns"

# The libbpf axis changes the loader only.
up=${bp_pkg#*:}
up=${up%%-*}
sys=${sys_pkg#*:}
sys=${sys%%-*}
check "clang-19 v3: the same objects with either libbpf" \
	cmp -s <(sha256sum <"build/tc/clang-19-v3-libbpf-$sys/noinline.bpf.o") \
	<(sha256sum <"build/tc/clang-19-v3-libbpf-$up/noinline.bpf.o")
check "clang-19: v4 objects are not v3's" \
	bash -c "! cmp -s build/tc/clang-19-v3-libbpf-$sys/noinline.bpf.o build/tc/clang-19-v4-libbpf-$sys/noinline.bpf.o"

# compare between two columns: run directories.
A=$R/clang-14-v3-libbpf-$sys/run
B=$R/clang-19-v4-libbpf-$up/run
build/bpf2bpf-bench compare --format csv "$A" "$B" >"$TMP/cmp.csv" 2>"$TMP/cmp.err"
check_eq "compare clang-14 v3 $sys vs clang-19 v4 $up exits 0" "$?" 0
key=$(grep '^[^,]*,noinline,[a-z_]*,TOTAL,' "$A/sizes.csv" | grep ',ok,' | head -n 1 | cut -d, -f3)
ja=$(awk -F, -v m="$key" '$2 == "noinline" && $3 == m && $4 == "TOTAL" { print $15 }' "$A/sizes.csv")
jb=$(awk -F, -v m="$key" '$2 == "noinline" && $3 == m && $4 == "TOTAL" { print $15 }' "$B/sizes.csv")
check "compare: noinline's TOTAL jited_bytes at $key, $ja vs $jb" \
	grep -q "^sizes.csv,variant=noinline;attach=$key;program=TOTAL;output=ringbuf,jited_bytes,$ja,$jb," "$TMP/cmp.csv"

# The report: columns, findings, the skipped pair.
check "toolchains.csv: a row per column" test "$(($(wc -l <"$R/toolchains.csv") - 1))" -eq 8
check "report: the toolchains table" grep -q '^## Toolchains' "$report"
check "finding: clang-14 refused v4, in its words" \
	grep -qF -- "- clang-14 -mcpu=v4 (every libbpf): no build: \`$words\`." "$report"
check "finding: the smallest JIT image per attach mode" \
	grep -qE -- '^- At [a-z_]+, .* gave the smallest JIT image for [0-9]+ of the [0-9]+ variants' "$report"
check "finding: the libbpf axis kept the objects identical" \
	grep -qE -- '^- Of 3 pairs of builds that differ only in the libbpf, 3 have byte-identical BPF objects' "$report"
check "the status table has a column per toolchain" \
	grep -qE '^\| variant +\| attach +\| clang-14 v3 [0-9.]+ +\| clang-14 v4' "$report"

after=$(sum_default)
check "the default build's objects are untouched" test "$before" = "$after"
check "build/buildinfo.h is still the default compiler's" \
	grep -qF "\"$(clang --version | head -n 1)\"" build/buildinfo.h
finish

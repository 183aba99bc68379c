#!/usr/bin/env bash
# run-bench.sh [--quick] [--rounds N] [--results DIR] [--help]
# The `make bench` driver: one run directory results/<UTC>-<host>-<kernel>/
# with run.env, env.txt, sizes.csv, overhead*.csv, hyperfine.{json,csv},
# iperf.csv, verifier/, dumps/, report.md and charts/. Built under
# results/.<name>.partial/ and renamed when done; an interrupted run is kept
# as <name>.incomplete/ with complete=0. Progress goes to stderr; the last
# line on stdout is the path of report.md.
#
#   --quick          fewer rounds and connections everywhere (about 1 minute)
#   --rounds N       measured overhead rounds (default: overhead's, 30 of 1000
#                    connections)
#   --results DIR    where run directories go (default: results)
#   --help           this text
# Environment: BPF2BPF_BENCH (the binary, default build/bpf2bpf-bench),
# BPF2BPF_TIMING=emulated under an emulator.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BPF2BPF_BENCH:-$root/build/bpf2bpf-bench}
results=results
quick=0
rounds=

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
die() {
	echo "run-bench.sh: $*" >&2
	exit 2
}

while [[ $# -gt 0 ]]; do
	case $1 in
	--quick) quick=1 ;;
	--rounds)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive number"
		rounds=$2
		shift
		;;
	--rounds=*)
		rounds=${1#--rounds=}
		[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive number"
		;;
	--results)
		[[ -n ${2:-} ]] || die "--results needs a directory"
		results=$2
		shift
		;;
	--results=*) results=${1#--results=} ;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done

[[ -x $bin ]] || die "$bin is not built: run make first"
for tool in flock setsid; do
	command -v "$tool" >/dev/null || die "$tool is missing (util-linux)"
done

# Budget for the external cross-checks (hyperfine + iperf3 <= ~30 s on two
# cores): every hyperfine run loads and attaches the program again, so few
# connections per run and few runs.
if ((quick)); then
	hf_conns=2000 hf_warmup=0 hf_runs=2 iperf_s=1
else
	hf_conns=5000 hf_warmup=1 hf_runs=3 iperf_s=1
fi

mkdir -p "$results" || die "cannot create $results"
exec 9>"$results/.lock"
if ! flock -n 9; then
	echo "run-bench.sh: another 'make bench' is running ($results/.lock is held); wait for it to finish" >&2
	exit 1
fi

host=$(uname -n)
host=${host//[^A-Za-z0-9._-]/_}
name="$(date -u +%Y%m%dT%H%M%SZ)-$host-$(uname -r)"
final=$results/$name
partial=$results/.$name.partial
for d in "$final" "$final.incomplete" "$partial"; do
	[[ ! -e $d ]] || die "$d exists; not overwriting a run"
done
mkdir "$partial" || die "cannot create $partial"

nsteps=6
step=0
child=
bg_pids=()
failed=()

progress() {
	step=$((step + 1))
	echo "[$step/$nsteps] $*" >&2
}

# run CMD...: in a session of its own, so an interrupt stops it and all its
# children (hyperfine's, a storm's) by process group; its stdout goes to
# stderr (stdout carries only the final path); the lock fd stays with us.
run() {
	run_to - "$@"
}

run_to() { # FILE CMD...: the same with stdout to FILE ("-": stderr)
	local out=$1
	shift
	if [[ $out == - ]]; then
		setsid "$@" >&2 9>&- &
	else
		setsid "$@" >"$out" 9>&- &
	fi
	child=$!
	wait "$child"
	local rc=$?
	child=
	return $rc
}

# TERM the process group, KILL it if it is still there after 10 s.
stop_group() {
	local pid=$1
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# set_env KEY VALUE: replace or append a run.env line (rewritten atomically).
set_env() {
	local f=$partial/run.env
	[[ -f $f ]] || return 0
	awk -v k="$1" -v v="$2" -F= '$1 == k { next } { print } END { print k "=" v }' "$f" >"$f.tmp" &&
		mv "$f.tmp" "$f"
}

utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# CSV column by name (these files never quote the fields read here).
csv_column() { # FILE COLUMN
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next } n { print $n }' "$1"
}

# Stop what runs, mark run.env complete=0 and keep the directory as
# <name>.incomplete: measured data is never thrown away.
keep_incomplete() { # WHY EXIT_CODE
	trap '' INT TERM
	echo "run-bench.sh: $1: stopping" >&2
	[[ -n $child ]] && stop_group "$child"
	for p in "${bg_pids[@]}"; do
		stop_group "$p"
	done
	set_env failed_steps "$(
		IFS=,
		echo "${failed[*]}"
	)"
	set_env finished_utc "$(utc)"
	set_env complete 0
	if mv "$partial" "$final.incomplete"; then
		echo "run-bench.sh: what was measured is in $final.incomplete (complete=0);" \
			"make report RUN=$final.incomplete reports on it" >&2
	else
		echo "run-bench.sh: partial results left in $partial" >&2
	fi
	exit "$2"
}
trap 'keep_incomplete "interrupted (SIGINT)" 130' INT
trap 'keep_incomplete "interrupted (SIGTERM)" 143' TERM

# The attach mode overhead measured, else the first mode sizes loaded.
primary_attach() {
	local m=
	if [[ -f $partial/overhead.csv ]]; then
		m=$(paste -d, <(csv_column "$partial/overhead.csv" variant) \
			<(csv_column "$partial/overhead.csv" attach) | awk -F, '$1 != "none" { print $2; exit }')
	fi
	if [[ -z $m ]]; then
		m=$(paste -d, <(csv_column "$partial/sizes.csv" program) <(csv_column "$partial/sizes.csv" attach) \
			<(csv_column "$partial/sizes.csv" status) | awk -F, '$1 == "TOTAL" && $3 == "ok" { print $2; exit }')
	fi
	echo "$m"
}

# Variants whose programs all loaded at mode $1, in sizes.csv order.
loaded_variants() {
	paste -d, <(csv_column "$partial/sizes.csv" variant) <(csv_column "$partial/sizes.csv" attach) \
		<(csv_column "$partial/sizes.csv" program) <(csv_column "$partial/sizes.csv" status) |
		awk -F, -v m="$1" '$2 == m && $3 == "TOTAL" && $4 == "ok" && !seen[$1]++ { print $1 }'
}

hyperfine_step() {
	local mode=$1
	shift
	local base="$bin hammer --netns --connections $hf_conns --quiet"
	local args=(--shell=none --warmup "$hf_warmup" --runs "$hf_runs" --style basic
		--export-json "$partial/hyperfine.json" --export-csv "$partial/hyperfine.csv"
		-n none "$base")
	for v in "$@"; do
		args+=(-n "$v" "$base --variant $v --attach $mode --output none")
	done
	set_env hyperfine_connections "$hf_conns"
	run hyperfine "${args[@]}"
}

# Throughput of one bulk loopback stream while a storm runs beside it, with
# the variant's programs attached to the storm's connections ("none": the
# storm alone). Appends "variant,1,gbit" to iperf.csv.
iperf_one() {
	local v=$1 mode=$2 port=$3 json=$partial/iperf-$1.json
	local storm=("$bin" hammer --netns --duration $((iperf_s + 1)) --quiet)
	[[ $v == none ]] || storm+=(--variant "$v" --attach "$mode" --output none)
	setsid "${storm[@]}" >/dev/null 2>&1 9>&- &
	bg_pids+=($!)
	local storm_pid=$!
	setsid iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 9>&- &
	bg_pids+=($!)
	local server_pid=$!
	sleep 0.3
	run_to "$json" iperf3 -c 127.0.0.1 -p "$port" -t "$iperf_s" -J
	local rc=$?
	wait "$storm_pid" 2>/dev/null
	stop_group "$server_pid"
	bg_pids=()
	((rc == 0)) || return 1
	# end.sum_received.bits_per_second; iperf3 -J prints one key per line.
	awk -v v="$v" '/"sum_received"/ { f = 1 }
		f && /"bits_per_second"/ { split($0, a, ":"); gsub(/[ \t,]/, "", a[2]);
			printf "%s,1,%.2f\n", v, a[2] / 1e9; exit }' "$json" >>"$partial/iperf.csv.tmp"
	rm -f "$json"
}

iperf_step() {
	local mode=$1 port=$((20000 + RANDOM % 20000))
	shift
	echo "variant,round,gbit_per_s" >"$partial/iperf.csv.tmp"
	for v in none "$@"; do
		iperf_one "$v" "$mode" "$port" || return 1
	done
	mv "$partial/iperf.csv.tmp" "$partial/iperf.csv"
}

progress "environment -> $partial/run.env, env.txt"
run "$root/scripts/collect-env.sh" "$partial" "timing=${BPF2BPF_TIMING:-native}" ||
	{ failed+=(env) && keep_incomplete "collect-env.sh failed" 1; }

progress "sizes: every variant x attach mode (load, verifier, xlated/JIT)"
run "$bin" sizes -o "$partial/sizes.csv" --logs "$partial/verifier" --dump "$partial/dumps"
# Some variants failing to load is a result; no sizes.csv is not.
[[ -s $partial/sizes.csv ]] || { failed+=(sizes) && keep_incomplete "sizes wrote no sizes.csv" 1; }

progress "overhead: per-event time under a connection storm"
ovh=(overhead -o "$partial")
# overhead's defaults (30 rounds of 1000 connections, about 50 s here) are
# sized for make bench's 2-minute budget.
((quick)) && ovh+=(--quick)
[[ -n $rounds ]] && ovh+=(--rounds "$rounds")
run "$bin" "${ovh[@]}" || failed+=(overhead)

mode=$(primary_attach)
mapfile -t vars < <([[ -n $mode ]] && loaded_variants "$mode")
set_env attach "$mode"
if [[ -f $partial/overhead.csv ]]; then
	set_env outputs "$(csv_column "$partial/overhead.csv" output | awk 'NF && !seen[$0]++' | paste -sd,)"
fi

progress "hyperfine: whole hammer runs per variant at ${mode:-?}"
if ! command -v hyperfine >/dev/null; then
	echo "run-bench.sh: hyperfine not installed: no cross-check" >&2
elif [[ -z $mode || ${#vars[@]} -eq 0 ]]; then
	echo "run-bench.sh: no variant loaded in any mode: no hyperfine cross-check" >&2
elif ! "$bin" hammer --help 2>&1 | grep -q -- --variant; then
	echo "run-bench.sh: this hammer has no --variant: no hyperfine cross-check" >&2
else
	hyperfine_step "$mode" "${vars[@]}" || { failed+=(hyperfine) && rm -f "$partial"/hyperfine.*; }
fi

progress "iperf3: loopback stream beside a storm, per variant"
if ! command -v iperf3 >/dev/null; then
	echo "run-bench.sh: iperf3 not installed: no throughput check" >&2
elif [[ -z $mode ]] || ! "$bin" hammer --help 2>&1 | grep -q -- --variant; then
	echo "run-bench.sh: no mode loaded or hammer has no --variant: no iperf3 check" >&2
else
	iperf_step "$mode" "${vars[@]}" || { failed+=(iperf) && rm -f "$partial"/iperf*; }
fi

progress "report -> report.md, charts/"
set_env failed_steps "$(
	IFS=,
	echo "${failed[*]}"
)"
run "$bin" report "$partial" || failed+=(report)

set_env failed_steps "$(
	IFS=,
	echo "${failed[*]}"
)"
set_env finished_utc "$(utc)"
set_env complete 1
trap - INT TERM
mv "$partial" "$final" || die "cannot rename $partial to $final"
((${#failed[@]} == 0)) || echo "run-bench.sh: warning: steps failed: ${failed[*]}" >&2
[[ -f $final/report.md ]] || {
	echo "run-bench.sh: no report in $final" >&2
	exit 1
}
echo "$final/report.md"

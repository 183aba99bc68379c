#!/usr/bin/env bash
# Benchmark (not a test): the hammer's loopback connection rate beside the best
# reference tools installable here, wrk and ab with one connection per request
# against nginx on a private 127.0.0.1 port, interleaved round by round.
# Usage: scripts/bench-hammer.sh [--rounds N] [--seconds S] [--binary PATH]
#                                [--no-netns] [CSV]
#   CSV: where to write tool,round,conn_per_s ("-" or none: stdout; the
#   summary then goes to stderr). Defaults: 5 rounds of 3 s per tool (< 2 min).
# Missing nginx, wrk or ab are installed with apt-get when run as root. As
# root everything runs in a private network namespace (unless --no-netns), so
# other processes' connections and tracers neither disturb nor see it.
set -euo pipefail
args=("$@")

rounds=5
seconds=3
binary=$(dirname "$0")/../build/bpf2bpf-bench
csv=-
netns=1
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
	case $1 in
	--rounds) rounds=${2:?}; shift 2 ;;
	--seconds) seconds=${2:?}; shift 2 ;;
	--binary) binary=${2:?}; shift 2 ;;
	--no-netns) netns=0; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "bench-hammer: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) csv=$1; shift ;;
	esac
done
[[ $rounds =~ ^[1-9][0-9]?$ ]] || { echo "bench-hammer: --rounds must be 1..99" >&2; exit 2; }
[[ $seconds =~ ^[1-9][0-9]?$ ]] || { echo "bench-hammer: --seconds must be 1..99" >&2; exit 2; }
[[ -x $binary ]] || { echo "bench-hammer: $binary not built (make $binary)" >&2; exit 2; }

# The summary goes where the CSV does not.
if [[ $csv == - ]]; then exec 3>&2; else exec 3>&1; fi
say() { echo "$@" >&3; }

install_missing() {
	local -A pkg=([nginx]=nginx-light [wrk]=wrk [ab]=apache2-utils)
	local missing=() c
	for c in nginx wrk ab; do
		command -v "$c" >/dev/null 2>&1 || missing+=("${pkg[$c]}")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		echo "bench-hammer: missing ${missing[*]}; install them with apt-get" >&2
		exit 1
	fi
	say "installing ${missing[*]} ..."
	# Debian's own way to keep the package from starting a system nginx on
	# port 80: a policy-rc.d that denies service starts, only for this install.
	local policy=/usr/sbin/policy-rc.d added=0
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
	[[ $added -eq 1 ]] && rm -f "$policy"
	return 0
}

install_missing
# Installed first: the namespace has no way out. ip (iproute2) brings its lo up.
if [[ $netns -eq 1 && -z ${BENCH_HAMMER_IN_NETNS:-} && $(id -u) -eq 0 ]] &&
	command -v ip >/dev/null && command -v unshare >/dev/null; then
	export BENCH_HAMMER_IN_NETNS=1
	# shellcheck disable=SC2016 # expanded by the inner bash
	exec unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "${args[@]}"
fi

tmp=$(mktemp -d)
nginx_pid=
cleanup() {
	if [[ -n $nginx_pid ]]; then
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { ss -Hltn "sport = :$1" | grep -q .; }

# nginx in the foreground of a child we own (sets nginx_pid and port), on a
# port below the ephemeral range so no storm's source port collides with it.
start_nginx() {
	local _
	for _ in 1 2 3 4 5; do # a few random ports
		port=$((20000 + RANDOM % 10000))
		port_in_use "$port" && continue
		cat > "$tmp/nginx.conf" <<-EOF
			worker_processes auto;
			daemon off;
			pid $tmp/nginx.pid;
			error_log $tmp/error.log warn;
			events { worker_connections 4096; }
			http {
			    access_log off;
			    client_body_temp_path $tmp; proxy_temp_path $tmp;
			    fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
			    server {
			        listen 127.0.0.1:$port backlog=4096;
			        location / { return 200 "ok\n"; }
			    }
			}
		EOF
		nginx -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" </dev/null >/dev/null 2>&1 &
		nginx_pid=$!
		for _ in $(seq 50); do # up to 5 s
			port_in_use "$port" && return 0
			kill -0 "$nginx_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
		nginx_pid=
	done
	echo "bench-hammer: nginx did not start: $(tail -n 3 "$tmp/error.log" 2>/dev/null)" >&2
	return 1
}

limit=$((seconds + 30)) # per tool run: a stuck tool cannot stall the benchmark

run_hammer() { # prints conn_per_s and cpu_us_per_conn
	timeout "$limit" "$binary" hammer --duration "$seconds" --quiet \
		--csv "$tmp/hammer.csv" >/dev/null
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		 NR == 2 { print $c["conn_per_s"], $c["cpu_us_per_conn"] }' "$tmp/hammer.csv"
}

run_wrk() {
	timeout "$limit" wrk -t "$(nproc)" -c 32 -d "${seconds}s" -H 'Connection: close' \
		"http://127.0.0.1:$1/" | awk '/^Requests\/sec:/ { print $2 }'
}

run_ab() { # -t bounds the time; -n only lifts ab's default cap of 50000
	timeout "$limit" ab -q -t "$seconds" -n 10000000 -c 32 "http://127.0.0.1:$1/" 2>/dev/null |
		awk '/^Requests per second:/ { print $4 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

start_nginx
say "hammer vs wrk/ab (nginx on 127.0.0.1:$port, Connection: close): $rounds rounds of ${seconds} s" \
	"${BENCH_HAMMER_IN_NETNS:+(private network namespace)}"

rows=$tmp/rows.csv
: > "$rows"
: > "$tmp/cpu"
for r in $(seq "$rounds"); do
	read -r rate cpu < <(run_hammer) || { echo "bench-hammer: hammer failed" >&2; exit 1; }
	echo "hammer,$r,$rate" >> "$rows"
	echo "$cpu" >> "$tmp/cpu"
	rate=$(run_wrk "$port") && [[ -n $rate ]] && echo "wrk,$r,$rate" >> "$rows"
	rate=$(run_ab "$port") && [[ -n $rate ]] && echo "ab,$r,$rate" >> "$rows"
	say "  round $r: $(grep ",$r," "$rows" | cut -d, -f1,3 | tr '\n' ' ')"
done

{
	echo "tool,round,conn_per_s"
	cat "$rows"
} > "$tmp/out.csv"
if [[ $csv == - ]]; then cat "$tmp/out.csv"; else cp "$tmp/out.csv" "$csv"; fi

med() { grep "^$1," "$rows" | cut -d, -f3 | median; }
hammer=$(med hammer)
best_tool="" best=0
for t in wrk ab; do
	m=$(med "$t")
	[[ -z $m ]] && { say "  $t: no result"; continue; }
	say "  $t median: $m conn/s"
	if awk -v a="$m" -v b="$best" 'BEGIN { exit !(a > b) }'; then best=$m best_tool=$t; fi
done
cpu=$(median < "$tmp/cpu")
say "  hammer median: $hammer conn/s, $cpu us CPU per connection"
[[ -n $best_tool ]] && say "  ratio hammer/$best_tool: $(awk -v a="$hammer" -v b="$best" 'BEGIN { printf "%.2f", a / b }')"
# Every connection costs cpu us of the process's CPU on one of nproc cores.
ceiling=$(awk -v n="$(nproc)" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? n * 1e6 / c : 0) }')
say "  CPU-bound ceiling: $(nproc) cores x 1e6 / $cpu us = $ceiling conn/s" \
	"(hammer at $(awk -v a="$hammer" -v c="$ceiling" 'BEGIN { printf "%.0f", (c > 0 ? 100 * a / c : 0) }')%)"
# Other processes share the cores: a high load explains a low fraction.
say "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# readme-columns.sh [README]: replace the text between the lines
# <!-- columns:begin --> and <!-- columns:end --> of README.md with
# `bpf2bpf-bench report --columns`, the column reference generated from
# the column tables (bench/*/*_cols.c). tests/integration/test_report.sh checks they agree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
readme=${1:-$root/README.md}
bin=${BPF2BPF_BENCH:-$root/build/bpf2bpf-bench}

if ! grep -q '^<!-- columns:begin -->$' "$readme" || ! grep -q '^<!-- columns:end -->$' "$readme"; then
	echo "readme-columns.sh: $readme needs the lines <!-- columns:begin --> and <!-- columns:end -->" >&2
	exit 2
fi
cols=$(mktemp)
trap 'rm -f "$cols" "$readme.tmp"' EXIT
"$bin" report --columns >"$cols"
awk -v cols="$cols" '
	/^<!-- columns:end -->$/ { skip = 0 }
	!skip { print }
	/^<!-- columns:begin -->$/ { while ((getline l < cols) > 0) print l; skip = 1 }
' "$readme" >"$readme.tmp"
mv "$readme.tmp" "$readme"

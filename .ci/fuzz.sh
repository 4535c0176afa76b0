#!/usr/bin/env bash
# Runs every fuzz target (func FuzzX(f *testing.F)) of the packages given for a while each:
# .ci/fuzz.sh 1s ./... (make test) or .ci/fuzz.sh 60s ./... (make fuzz). Go fuzzes one target per
# `go test -fuzz`, so each gets its own run; the targets are those `go test -list` names, so a new
# one is fuzzed without editing this script or the Makefile. A failing input is written to the
# package's testdata/fuzz/FuzzX/ (commit it with the fix); other inputs stay in the Go cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
GO=${GO:-go}
fuzztime=${1:?usage: fuzz.sh DURATION PACKAGES...}
shift
# The test binary's timeout outlasts the fuzzing (go test's default is 10m).
timeout=30m
if [[ $fuzztime =~ ^([0-9]+)([smh])$ ]]; then
	declare -A unit=([s]=1 [m]=60 [h]=3600)
	timeout=$((BASH_REMATCH[1] * unit[${BASH_REMATCH[2]}] + 600))s
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Only packages with a target build a test binary to list them; one go test lists them all.
declare -A dirs
while read -r pkg dir; do
	if grep -qsE '^func Fuzz[A-Z0-9_][A-Za-z0-9_]*\(' "$dir"/*_test.go; then
		dirs[$pkg]=$dir
	fi
done < <($GO list -f '{{.ImportPath}} {{.Dir}}' "${@:-./...}")
[[ ${#dirs[@]} -gt 0 ]] || exit 0
mapfile -t pkgs < <(printf '%s\n' "${!dirs[@]}" | sort)
$GO test -list '^Fuzz' "${pkgs[@]}" >"$out"
targets=() names=()
while read -r first second _; do
	case $first in
	Fuzz*) names+=("$first") ;;
	ok) for n in "${names[@]}"; do targets+=("$second $n"); done; names=() ;;
	esac
done <"$out"
for t in "${targets[@]}"; do
	read -r pkg target <<<"$t"
	dir=${dirs[$pkg]}
	echo "fuzz: $pkg $target for $fuzztime"
	before=$(ls "$dir/testdata/fuzz/$target" 2>/dev/null || true)
	if $GO test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" -timeout "$timeout" "$pkg" 2>&1 | tee "$out"; then
		continue
	fi
	# Go's fuzzing coordinator may report its own deadline as a failure when -fuzztime ends
	# (go.dev/issue/75804, fixed in Go 1.27): no input failed when none was written.
	if grep -q '^    context deadline exceeded$' "$out" && [[ $(ls "$dir/testdata/fuzz/$target" 2>/dev/null || true) == "$before" ]]; then
		echo "fuzz: $target: the coordinator's deadline at the end of -fuzztime, no failing input (go.dev/issue/75804)"
		continue
	fi
	exit 1
done

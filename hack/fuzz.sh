#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for FUZZTIME each (default 3s).
# `make test` runs it briefly; `make fuzz FUZZTIME=5m` runs it longer.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-3s}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
	pkg="./$(dirname "${file#./}")"
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		echo "fuzz: $pkg $target ($FUZZTIME)"
		go test "$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME"
	done
done

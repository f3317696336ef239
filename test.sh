#!/usr/bin/env bash
# Builds the whole solution (the benchmarks too: they are built, never run, here), then the release
# (./build-release.sh: the four platform archives and the packages, into artifacts/release, which the
# release tests unpack and inspect), then runs every test: C# unit and integration tests, gateway
# conformance, CLI, release, docs, and the Python suites (started by dotnet test as child processes in
# real CPython 3.11 + pythonnet).
set -euo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
{ dotnet build DataNet.sln -c Release -nologo -v:q && ./build-release.sh && dotnet test DataNet.sln -c Release --no-build --blame-hang-timeout 5m "$@"; } 2>&1 | tee "$log" || status=$?
# One plain closing line ("N passed, N failed, N skipped") for tools that read summaries.
sed -nE 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 passed, \1 failed, \3 skipped/p' "$log" | tail -n 1
exit "$status"

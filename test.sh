#!/usr/bin/env bash
# Every test: builds the solution (the benchmarks too: built, never run, here), then runs each test project in its own
# `dotnet test`, side by side, while the release builds (./build-release.sh: the four platform archives and the
# packages into artifacts/release). DataNet.Release.Tests unpacks and inspects that release, and DataNet.Cli.Tests
# builds the SDK folder from this checkout as an artist would, so those two start once the release build is done
# (two builds of the same projects at once would write the same obj/ files).
# Arguments go to every `dotnet test` (e.g. --filter "FullyQualifiedName~Presence").
# Prints per project its tests and time (from its TRX in artifacts/test-results), then one plain closing line
# "N passed, N failed, N skipped" for tools that read summaries.
set -euo pipefail
cd "$(dirname "$0")"
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build DataNet.sln -c Release -nologo -v:q

# One project's tests: its console output to $results/NAME.log, its results to $results/NAME.trx.
run_tests() {
  dotnet test "$1" -c Release --no-build --nologo --blame-hang-timeout 5m \
    --results-directory "$results" --logger "trx;LogFileName=$1.trx" "${@:2}" >"$results/$1.log" 2>&1
}

pids=()
for project in DataNet.Td.Tests DataNet.Gateway.Tests DataNet.Integration.Tests DataNet.Python.Tests; do
  run_tests "$project" "$@" &
  pids+=($!)
done
# The release is rebuilt only when what goes into it changed since the last one (its inputs' hash is kept beside it).
release_inputs() {
  { dotnet --version
    git ls-files -z --cached --others --exclude-standard -- DataNet.Td DataNet.Gateway DataNet.Cli sdk python tox-source \
      docs LICENSE THIRD-PARTY-NOTICES.txt CHANGELOG.md README.md Directory.Build.props Directory.Packages.props \
      .editorconfig build-release.sh | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1
}
stamp=artifacts/release/.inputs
{
  inputs=$(release_inputs)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
    echo "release inputs unchanged since artifacts/release was built: not rebuilding it" >"$results/release-build.log"
  else
    rm -f "$stamp"
    ./build-release.sh >"$results/release-build.log" 2>&1 || { echo "release build failed" >>"$results/release-build.log"; exit 1; }
    echo "$inputs" >"$stamp"
  fi
  run_tests DataNet.Cli.Tests "$@" &
  cli=$!
  run_tests DataNet.Release.Tests "$@" &
  release=$!
  after=0
  wait "$cli" || after=1
  wait "$release" || after=1
  exit "$after"
} &
pids+=($!)

status=0
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done

tail -n 12 "$results/release-build.log"
python3 .ci/test_summary.py "$results" || status=1
exit "$status"

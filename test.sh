#!/usr/bin/env bash
# Every test: builds the solution (the benchmarks too: built, never run, here) while the release builds beside it
# (./build-release.sh: the four platform archives and the packages into artifacts/release, compiled in a folder of its
# own, artifacts/obj/release, so the two builds never share a file), then runs each test project in its own
# `dotnet test`, side by side. DataNet.Release.Tests unpacks and inspects that release, so it starts once the release
# is built. The release is rebuilt only when what goes into it changed since the last one.
# Arguments go to every `dotnet test` (e.g. --filter "FullyQualifiedName~Presence").
# Prints per project its tests and time (from its TRX in artifacts/test-results), then one plain closing line
# "N passed, N failed, N skipped" for tools that read summaries.
set -euo pipefail
cd "$(dirname "$0")"
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

# The gateway's web page installs its npm packages during a build; once, here, so the two builds never race on them.
dotnet msbuild DataNet.Gateway/Web/NpmCi.proj -t:NpmCi -nologo -v:q

# One project's tests: its console output to $results/NAME.log, its results to $results/NAME.trx.
run_tests() {
  dotnet test "$1" -c Release --no-build --nologo --blame-hang-timeout 5m \
    --results-directory "$results" --logger "trx;LogFileName=$1.trx" "${@:2}" >"$results/$1.log" 2>&1
}

# The release's inputs' hash is kept beside it: unchanged inputs, no rebuild.
release_inputs() {
  { dotnet --version
    git ls-files -z --cached --others --exclude-standard -- DataNet.Td DataNet.Gateway DataNet.Cli sdk python tox-source \
      docs LICENSE THIRD-PARTY-NOTICES.txt CHANGELOG.md README.md Directory.Build.props Directory.Packages.props \
      .editorconfig build-release.sh | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1
}
stamp=artifacts/release/.inputs
inputs=$(release_inputs)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
  echo "release inputs unchanged since artifacts/release was built: not rebuilding it" >"$results/release-build.log"
  release_build=true
else
  rm -f "$stamp"
  { ./build-release.sh >"$results/release-build.log" 2>&1 && echo "$inputs" >"$stamp"; } &
  release_build=$!
fi

dotnet build DataNet.sln -c Release -nologo -v:q

pids=()
for project in DataNet.Td.Tests DataNet.Gateway.Tests DataNet.Integration.Tests DataNet.Python.Tests DataNet.Cli.Tests; do
  run_tests "$project" "$@" &
  pids+=($!)
done
status=0
if [ "$release_build" = true ] || wait "$release_build"; then
  run_tests DataNet.Release.Tests "$@" &
  pids+=($!)
else
  echo "release build failed" >>"$results/release-build.log"
  status=1
fi

for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done

tail -n 12 "$results/release-build.log"
python3 .ci/test_summary.py "$results" || status=1
exit "$status"

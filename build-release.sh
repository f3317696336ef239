#!/usr/bin/env bash
# The release: ./build-release.sh [--output DIR] [--rid RID]... [--version X.Y.Z]   (docs/release.md)
# Writes DataNet-SDK-<version>-<rid>.zip for win-x64, osx-arm64, osx-x64 and linux-x64 (each: the SDK folder, a
# self-contained datanet, LICENSE, THIRD-PARTY-NOTICES.txt, CHANGELOG.md, START-HERE.txt), the framework-dependent
# datanet and the NuGet packages, to artifacts/release/ unless --output says otherwise; the last lines list them.
# Same as: dotnet run --project sdk/Release -c Release -- [options]   (build-release.cmd on Windows)
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project sdk/Release -c Release -v:q -- "$@"

#!/usr/bin/env bash
# Builds the SDK folder an artist downloads: ./build-sdk.sh [DIR]  (default dist/DataNet-SDK).
# Same as: dotnet build sdk/DataNet.Sdk.csproj -c Release -p:SdkOutput=DIR/   (any OS)
# Check the result with: dotnet run --project DataNet.Cli -- doctor --sdk DIR
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-dist/DataNet-SDK}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
dotnet build sdk/DataNet.Sdk.csproj -c Release -nologo -v:q -p:SdkOutput="${out%/}/"

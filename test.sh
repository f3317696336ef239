#!/usr/bin/env bash
# Runs every test: C# unit and integration tests, gateway conformance, and the Python suites
# (started by dotnet test as child processes in real CPython 3.11 + pythonnet).
set -euo pipefail
cd "$(dirname "$0")"
dotnet test DataNet.sln -c Release --blame-hang-timeout 5m "$@"

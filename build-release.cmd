@echo off
rem The release on Windows: build-release.cmd [--output DIR] [--rid RID]... [--version X.Y.Z]   (docs\release.md)
rem Same as build-release.sh: writes the archives and packages to artifacts\release\ unless --output says otherwise.
cd /d "%~dp0"
dotnet run --project sdk\Release -c Release -v:q -- %*

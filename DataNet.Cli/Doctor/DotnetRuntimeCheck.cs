using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Doctor;

/// <summary>
/// Is there a .NET runtime TouchDesigner can start in zero-pip mode: CoreCLR
/// (Microsoft.NETCore.App) 8 or newer, with its hostfxr, of TD's architecture?
/// </summary>
internal static class DotnetRuntimeCheck
{
    public const string Name = ".NET runtime";
    public const int MinimumMajor = 8;

    private const string Download = "https://dotnet.microsoft.com/download/dotnet";

    /// <param name="explicitRoot">--dotnet-root, or null to search as the loader does.</param>
    /// <param name="architecture">TD's (the given Python's) architecture, or null for this machine's.</param>
    public static CheckResult Run(string? explicitRoot, string? architecture, CliConsole console)
    {
        var arch = architecture ?? RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var seen = new List<string>();
        foreach (var (why, root) in DotnetInstall.Candidates(explicitRoot, arch, console))
        {
            if (!Directory.Exists(root))
            {
                if (explicitRoot is not null)
                {
                    seen.Add($"{root} does not exist");
                }

                continue;
            }

            var install = DotnetInstall.Inspect(root, why);
            var usable = install.Runtimes.Where(v => v.Major >= MinimumMajor).ToArray();
            if (install.HostFxr is null)
            {
                seen.Add($"{root}: no host/fxr (not a .NET install)");
                continue;
            }

            if (usable.Length == 0)
            {
                var found = install.Runtimes.Count == 0 ? "no Microsoft.NETCore.App runtime" : $"only {DotnetInstall.CoreRuntime} {string.Join(", ", install.Runtimes)}";
                seen.Add($"{root}: {found}");
                continue;
            }

            if (install.HostFxrArchitecture is { } fxrArch && fxrArch != "universal" && fxrArch != arch)
            {
                seen.Add($"{root}: {fxrArch}, but TouchDesigner's Python is {arch}");
                continue;
            }

            return CheckResult.Pass(
                Name,
                $"{DotnetInstall.CoreRuntime} {usable[^1]} ({install.HostFxrArchitecture ?? arch}) in {root} ({why})");
        }

        var where = seen.Count == 0 ? "no .NET install found in the usual places" : string.Join("; ", seen);
        return CheckResult.Fail(
            Name,
            $"no {DotnetInstall.CoreRuntime} {MinimumMajor}+ for {arch}: {where}",
            $"install the .NET Runtime {MinimumMajor} or newer for {arch} ({Download}), or set DOTNET_ROOT to where it is"
            + (OperatingSystem.IsWindows() ? "; on Windows pythonnet's default .NET Framework 4.7.2+ also works (install pythonnet)" : string.Empty));
    }
}

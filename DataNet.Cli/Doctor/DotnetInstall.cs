using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Doctor;

/// <summary>
/// A .NET install folder as the zero-pip loader sees it: <c>host/fxr/*/hostfxr</c> and the
/// <c>shared/Microsoft.NETCore.App/*</c> runtimes. Looked up in the order the .NET host uses
/// (DOTNET_ROOT_&lt;ARCH&gt;, DOTNET_ROOT, the registered location, the default folder), as
/// python/DataNet.py does.
/// </summary>
internal sealed record DotnetInstall(string Root, string Why, string? HostFxr, string? HostFxrArchitecture, IReadOnlyList<Version> Runtimes)
{
    public const string CoreRuntime = "Microsoft.NETCore.App";

    public static DotnetInstall Inspect(string root, string why)
    {
        var fxrDirectory = Path.Combine(root, "host", "fxr");
        var hostFxr = Subfolders(fxrDirectory)
            .OrderByDescending(name => ParseVersion(name) ?? new Version(0, 0))
            .Select(name => Path.Combine(fxrDirectory, name, HostFxrFileName))
            .FirstOrDefault(File.Exists);
        var runtimes = Subfolders(Path.Combine(root, "shared", CoreRuntime))
            .Select(ParseVersion)
            .OfType<Version>()
            .Order()
            .ToArray();
        return new DotnetInstall(root, why, hostFxr, hostFxr is null ? null : BinaryArchitecture.Read(hostFxr), runtimes);
    }

    /// <summary>Where to look, in order. An explicit folder is the only candidate.</summary>
    public static IEnumerable<(string Why, string Root)> Candidates(string? explicitRoot, string architecture, CliConsole console)
    {
        if (explicitRoot is not null)
        {
            yield return ("--dotnet-root", explicitRoot);
            yield break;
        }

        var perArch = $"DOTNET_ROOT_{architecture.ToUpperInvariant()}";
        if (console.GetEnvironmentVariable(perArch) is { } archRoot)
        {
            yield return (perArch, archRoot);
        }

        if (console.GetEnvironmentVariable("DOTNET_ROOT") is { } root)
        {
            yield return ("DOTNET_ROOT", root);
        }

        if (OperatingSystem.IsWindows())
        {
            var programFiles = Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles);
            yield return ("default location", Path.Combine(programFiles, "dotnet"));
        }
        else
        {
            foreach (var file in new[] { $"/etc/dotnet/install_location_{architecture}", "/etc/dotnet/install_location" })
            {
                if (FirstLine(file) is { } registered)
                {
                    yield return (file, registered);
                }
            }

            yield return ("default location", OperatingSystem.IsMacOS() ? "/usr/local/share/dotnet" : "/usr/share/dotnet");
            yield return ("distribution location", "/usr/lib/dotnet");
        }

        // The runtime running this tool: the install `dotnet` on PATH resolves to.
        var running = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        yield return ("the runtime running datanet", running);
        yield return ("per-user install", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet"));
    }

    public static string HostFxrFileName =>
        OperatingSystem.IsWindows() ? "hostfxr.dll" : OperatingSystem.IsMacOS() ? "libhostfxr.dylib" : "libhostfxr.so";

    private static string[] Subfolders(string path)
    {
        try
        {
            return Directory.Exists(path)
                ? Directory.EnumerateDirectories(path).Select(Path.GetFileName).OfType<string>().ToArray()
                : [];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>"8.0.11" or "9.0.0-rc.1.24431.7" (a preview counts as its release).</summary>
    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Split('-', 2)[0], out var version) ? version : null;

    private static string? FirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.Contains('=', StringComparison.Ordinal)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

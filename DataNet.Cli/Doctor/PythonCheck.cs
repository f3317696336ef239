using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Doctor;

/// <summary>
/// The Python TouchDesigner runs (or any CPython given with --python): found, its version and
/// architecture, and whether it loads the SDK folder in zero-pip mode.
/// </summary>
internal static class PythonCheck
{
    public const string InterpreterName = "Python";
    public const string LoadName = "Load from Python (zero-pip)";

    private const string WhereIsTdPython =
        "TouchDesigner's is <TouchDesigner>\\bin\\python.exe on Windows, TouchDesigner.app/Contents/Frameworks/Python.framework/Versions/3.11/bin/python3 on macOS";

    /// <summary>Finds the interpreter: the given path or name, else python3.11, python3, python on PATH.</summary>
    public static string? Locate(string? given, CliConsole console)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : OnPath(given, console);
        }

        foreach (var name in new[] { "python3.11", "python3", "python" })
        {
            if (OnPath(name, console) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public static async Task<(IReadOnlyList<CheckResult> Results, string? Architecture)> RunAsync(
        string? given,
        string? sdkFolder,
        bool sdkLooksLoadable,
        string? dotnetRoot,
        CliConsole console,
        CancellationToken cancellationToken)
    {
        var python = Locate(given, console);
        if (python is null)
        {
            return given is null
                ? ([CheckResult.Skip(InterpreterName, "no python3.11, python3 or python on PATH", $"pass --python PATH; {WhereIsTdPython}")], null)
                : ([CheckResult.Fail(InterpreterName, $"{given} not found", $"pass the full path of the interpreter; {WhereIsTdPython}")], null);
        }

        var probe = await PythonProbe.RunAsync(python, sdkLooksLoadable ? sdkFolder : null, dotnetRoot, cancellationToken);
        if (probe.Interpreter is null)
        {
            var why = probe.Problem ?? $"exit code {probe.ExitCode}";
            return ([CheckResult.Fail(InterpreterName, $"{python} did not run as Python 3 ({why})", $"pass a CPython 3 interpreter with --python; {WhereIsTdPython}")], null);
        }

        var version = probe.Get("version") ?? "?";
        var architecture = probe.Get("arch");
        var note = version.StartsWith("3.11.", StringComparison.Ordinal) ? string.Empty : " (TouchDesigner 2023 and 2025 run 3.11)";
        var results = new List<CheckResult>
        {
            CheckResult.Pass(
                InterpreterName,
                $"{version} {architecture} at {probe.Get("executable") ?? python}{note}; pythonnet package {probe.Get("pythonnet") ?? "unknown"} (zero-pip mode needs none)"),
        };

        if (!sdkLooksLoadable)
        {
            results.Add(CheckResult.Skip(LoadName, "needs a complete SDK folder (see above)", "fix the SDK folder first"));
        }
        else if (probe.GetLoad("ok") == "true")
        {
            results.Add(CheckResult.Pass(
                LoadName,
                $"DataNet.Td {probe.GetLoad("version")} via {probe.GetLoad("route")} on {probe.GetLoad("framework")}"));
        }
        else
        {
            var error = probe.GetLoad("error") ?? probe.Problem ?? $"exit code {probe.ExitCode}";
            results.Add(CheckResult.Fail(
                LoadName,
                error,
                "follow the fix in the message; usually: install the .NET Runtime 8+ for this Python's architecture, or rebuild the SDK folder"));
        }

        return (results, architecture);
    }

    private static string? OnPath(string name, CliConsole console)
    {
        if (name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || name.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null; // a path that does not exist
        }

        var path = console.GetEnvironmentVariable("PATH") ?? string.Empty;
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", string.Empty } : [string.Empty];
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(folder, name + extension);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

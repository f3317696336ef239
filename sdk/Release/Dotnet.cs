using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace DataNet.Release;

/// <summary>Runs the `dotnet` CLI as a child process; its output goes straight to this console.</summary>
internal static class Dotnet
{
    /// <summary>The host that started us when there is one (so a release uses the same SDK), else `dotnet` on PATH.</summary>
    private static string Host =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task RunAsync(string step, string workingDirectory, IEnumerable<string> args)
    {
        using var process = Start(workingDirectory, args, captureOutput: false);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new ReleaseException($"{step} failed (dotnet exited with {process.ExitCode}); its output is above");
        }
    }

    /// <summary>Runs and returns the trimmed standard output (e.g. `dotnet msbuild -getProperty:Version`).</summary>
    public static async Task<string> ReadAsync(string step, string workingDirectory, IEnumerable<string> args)
    {
        using var process = Start(workingDirectory, args, captureOutput: true);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? output.Trim()
            : throw new ReleaseException($"{step} failed (dotnet exited with {process.ExitCode}): {output.Trim()}");
    }

    private static Process Start(string workingDirectory, IEnumerable<string> args, bool captureOutput)
    {
        var start = new ProcessStartInfo(Host)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = captureOutput,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        try
        {
            return Process.Start(start) ?? throw new ReleaseException($"could not start {Host}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ReleaseException($"could not start {Host}: {e.Message}");
        }
    }
}

using System.Collections.Generic;
using System.Diagnostics;

namespace DataNet.Release.Tests;

/// <summary>
/// A program from an unpacked archive, started with a bare environment: PATH is one empty folder (no dotnet, no
/// SDK), HOME a scratch folder, no DOTNET_* variables. Only what the caller adds on top.
/// </summary>
internal sealed class ExtractedProgram : IDisposable
{
    private readonly Process _process;

    private ExtractedProgram(string program, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(Output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(Error, e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Args = args;
    }

    public string[] Args { get; }

    public CapturedWriter Output { get; } = new();

    public CapturedWriter Error { get; } = new();

    public bool HasExited => _process.HasExited;

    public static ExtractedProgram Start(string program, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(program, environment, args);

    /// <summary>The exit code; a program still running after <paramref name="timeout"/> fails the wait.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    public override string ToString() =>
        $"datanet {string.Join(' ', Args)}\n--- stdout ---\n{Output.Text}\n--- stderr ---\n{Error.Text}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(CapturedWriter writer, string? line)
    {
        if (line is not null)
        {
            writer.WriteLine(line);
        }
    }
}

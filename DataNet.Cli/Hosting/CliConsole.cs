using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DataNet.Cli.Hosting;

/// <summary>
/// Everything a command touches outside itself: its streams, whether stdout is a terminal, and the
/// environment. Tests pass captured writers and a dictionary; <see cref="Program"/> passes the process's.
/// </summary>
internal sealed class CliConsole
{
    private readonly Func<string, string?> _getEnvironmentVariable;

    public CliConsole(
        TextWriter output,
        TextWriter error,
        TextReader input,
        bool isOutputTerminal,
        Func<string, string?> getEnvironmentVariable)
    {
        Output = output;
        Error = error;
        Input = input;
        IsOutputTerminal = isOutputTerminal;
        _getEnvironmentVariable = getEnvironmentVariable;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public TextReader Input { get; }

    /// <summary>True when stdout is an interactive terminal: live views only then, plain lines otherwise.</summary>
    public bool IsOutputTerminal { get; }

    /// <summary>True when stderr is an interactive terminal: progress lines are then rewritten in place.</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>The environment variable, or null when it is unset or blank.</summary>
    public string? GetEnvironmentVariable(string name)
    {
        var value = _getEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>
    /// The process's own console and environment. Live views need a terminal that can redraw: not a
    /// pipe, not <c>TERM=dumb</c>, not a CI log (<c>CI</c> set).
    /// </summary>
    public static CliConsole FromProcess() => new(
        Console.IsOutputRedirected && !OperatingSystem.IsWindows() ? PipeWriterOrConsole() : Console.Out,
        Console.Error,
        Console.In,
        !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("TERM") != "dumb"
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
        Environment.GetEnvironmentVariable)
    {
        IsErrorTerminal = !Console.IsErrorRedirected
            && Environment.GetEnvironmentVariable("TERM") != "dumb"
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
    };

    /// <summary>
    /// Console.Out silently drops writes to a closed pipe, so `datanet sub x --json | head -1` would run
    /// on forever. A plain FileStream on fd 1 reports the broken pipe as an IOException instead. Only for
    /// a pipe: on a file (`> out.txt`, `>> log`) such a stream writes from its own position, over what the
    /// shell or an earlier command wrote, where Console.Out appends.
    /// </summary>
    private static TextWriter PipeWriterOrConsole()
    {
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 1);
        if (stream.CanSeek)
        {
            stream.Dispose();
            return Console.Out;
        }

        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }

    /// <summary>A console over the given writers, not a terminal, with only the given variables set.</summary>
    public static CliConsole Captured(
        TextWriter output,
        TextWriter error,
        TextReader? input = null,
        IReadOnlyDictionary<string, string>? environment = null) => new(
        output,
        error,
        input ?? TextReader.Null,
        isOutputTerminal: false,
        name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
}

using System.Collections.Generic;
using System.IO;
using System.Threading;
using DataNet.Cli;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Tests;

/// <summary>
/// Runs `datanet ARGS` in-process, as the program would, with captured stdout/stderr, a given stdin and
/// environment, and a token that plays Ctrl-C.
/// </summary>
internal sealed class CliRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _interrupt = new();

    private CliRun(string[] args, IReadOnlyDictionary<string, string> environment, string? stdin)
    {
        Args = args;
        var console = CliConsole.Captured(Output, Error, new StringReader(stdin ?? string.Empty), environment);
        Exit = Task.Run(() => CliApp.RunAsync(args, console, _interrupt.Token));
    }

    public string[] Args { get; }

    public CapturedWriter Output { get; } = new();

    public CapturedWriter Error { get; } = new();

    public Task<int> Exit { get; }

    /// <summary>Starts the command and returns while it runs.</summary>
    public static CliRun Start(IReadOnlyDictionary<string, string> environment, params string[] args) => new(args, environment, null);

    public static CliRun StartWithInput(IReadOnlyDictionary<string, string> environment, string stdin, params string[] args) =>
        new(args, environment, stdin);

    /// <summary>Runs the command to its end (with a generous deadline against hangs).</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var run = Start(environment, args);
        await run.WaitAsync();
        return run;
    }

    public static async Task<CliRun> RunWithInputAsync(IReadOnlyDictionary<string, string> environment, string stdin, params string[] args)
    {
        var run = StartWithInput(environment, stdin, args);
        await run.WaitAsync();
        return run;
    }

    public async Task<int> WaitAsync(TimeSpan? timeout = null) =>
        await Exit.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Ctrl-C, then wait for the exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        await _interrupt.CancelAsync();
        return await WaitAsync();
    }

    public override string ToString() =>
        $"datanet {string.Join(' ', Args)}\n--- stdout ---\n{Output.Text}\n--- stderr ---\n{Error.Text}";

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted)
        {
            await _interrupt.CancelAsync();
            await Exit.WaitAsync(TimeSpan.FromSeconds(30));
        }

        _interrupt.Dispose();
        Output.Dispose();
        Error.Dispose();
    }
}

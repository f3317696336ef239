using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Commands;
using DataNet.Cli.Connection;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;

namespace DataNet.Cli;

/// <summary>
/// The whole program behind one call: parse, run one command, and turn every expected failure into a
/// single line on stderr and an exit code. Tests call this with captured writers and their own token.
/// </summary>
internal static class CliApp
{
    public const string Name = "datanet";

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = BuildRoot(console);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await console.Error.WriteLineAsync(ParseErrorText.Describe(parseResult));
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Output,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Program owns Ctrl-C and passes it in as the token.
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (CliException e)
        {
            // Messages can quote a server or a peer: escapes made visible, always one line.
            await console.Error.WriteLineAsync($"{Name}: {TerminalText.Visible(e.Message)}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl-C ends long-running commands cleanly.
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            // The reader has all it wanted (`datanet sub x --json | head -1`): stop quietly, like any Unix tool.
            return ExitCodes.Ok;
        }
        catch (IOException e)
        {
            // Typically stdout closed under us (`datanet sub x --json | head -1`): say so, briefly.
            await TryWriteErrorAsync(console, $"{Name}: cannot write output ({e.Message.TrimEnd('.')})");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The one place that must catch everything: no stack trace reaches an artist.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var key = console.GetEnvironmentVariable(EnvironmentVariables.ApiKey);
            var detail = console.GetEnvironmentVariable(EnvironmentVariables.Debug) is null
                ? $"{e.GetType().Name}: {e.Message} (please report this; {EnvironmentVariables.Debug}=1 shows where)"
                : e.ToString();
            await console.Error.WriteLineAsync(TerminalText.Visible(SecretRedactor.Redact($"{Name}: unexpected {detail}", key)));
            return ExitCodes.Failure;
        }
    }

    /// <summary>EPIPE on Unix (.NET puts the errno in HResult); ERROR_BROKEN_PIPE or ERROR_NO_DATA on Windows.</summary>
    private static bool IsBrokenPipe(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 109 or 232 : e.HResult == 32;

    private static async Task TryWriteErrorAsync(CliConsole console, string line)
    {
        try
        {
            await console.Error.WriteLineAsync(line);
        }
        catch (IOException)
        {
            // stderr is gone too: nothing left to tell.
        }
    }

    public static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand(
            "DataNet from the terminal: publish, subscribe, record and replay, run a local gateway, watch the TouchDesigner data path, check a machine.");
        root.Subcommands.Add(GatewayCommand.Create(console));
        root.Subcommands.Add(SubCommand.Create(console));
        root.Subcommands.Add(PubCommand.Create(console));
        root.Subcommands.Add(PresenceCommand.Create(console));
        root.Subcommands.Add(RecordCommand.Create(console));
        root.Subcommands.Add(ReplayCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(DoctorCommand.Create(console));
        return root;
    }
}

using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;
using DataNet.Td;
using Spectre.Console;

namespace DataNet.Cli.Commands;

/// <summary>
/// <c>datanet sub CHANNEL...</c>: a live table on a terminal, one plain line per message when piped, or
/// one JSON object per line with <c>--json</c>. Status goes to stderr so stdout stays data only.
/// </summary>
internal static class SubCommand
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);

    public static Command Create(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var channels = new Argument<string[]>("channel")
        {
            Description = "Channels to subscribe to (default: $DATANET_CHANNEL, comma-separated).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per message and line, for piping." };
        var raw = new Option<bool>("--raw") { Description = "Data only, one message per line: JSON as sent, binary as base64." };
        var count = new Option<long?>("--count", "-n") { Description = "Exit after this many messages." };
        var idle = new Option<double?>("--idle-timeout", "-W")
        {
            Description = "Exit when no message arrived for this many seconds (counted from Listening).",
        };
        var command = new Command("sub", "Subscribe and show messages (channel, from, age, data) until Ctrl-C.")
        {
            channels, json, raw, count, idle,
        };
        StrictArguments.RejectOptionLike(channels);
        StrictArguments.RejectBlank(channels, "channel");
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new Request(
                connection.Bind(parseResult, console),
                connection.BindTimeout(parseResult),
                ChannelResolver.Resolve(parseResult.GetValue(channels), console),
                OutputFormat(parseResult.GetValue(json), parseResult.GetValue(raw)),
                RequirePositive(parseResult.GetValue(count)),
                IdleTimeout(parseResult.GetValue(idle)));
            return RunAsync(console, request, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken cancellationToken)
    {
        using var session = new ClientSession(request.Settings);
        long received = 0;
        Action<DataNetMessage> show;
        var board = new ChannelBoard(request.Channels);
        var live = console.IsOutputTerminal && request.Format == SubFormat.Text;
        show = request.Format switch
        {
            _ when live => board.Add,
            SubFormat.Json => message => console.Output.WriteLine(JsonLines.Format(message)),
            SubFormat.Raw => message => console.Output.WriteLine(MessageText.Raw(message)),
            _ => message => console.Output.WriteLine(
                $"{TerminalText.Visible(message.Channel)}  {TerminalText.Visible(message.From)}  {MessageText.Data(message, 2000)}"),
        };
        var sinceLastMessage = Stopwatch.StartNew();

        IOException? outputClosed = null;
        void Handler(DataNetMessage message)
        {
            if ((request.Count is { } limit && received >= limit) || outputClosed is not null)
            {
                return; // more may already be in this Poll's batch
            }

            received++;
            sinceLastMessage.Restart();
            try
            {
                show(message);
            }
            catch (IOException e)
            {
                outputClosed = e; // the SDK would count and swallow it as a handler error: end here instead
            }
        }

        session.SubscribeAll(request.Channels, Handler); // both kinds, as a user expects from `sub`

        await session.ConnectAsync(request.Timeout, cancellationToken);
        await session.WaitForSubscriptionsAsync(request.Channels, request.Timeout, cancellationToken);
        await console.Error.WriteLineAsync(
            $"Listening on {string.Join(", ", request.Channels)} at {request.Settings.Describe()}. Ctrl-C to stop.");
        await console.Error.FlushAsync(cancellationToken);

        sinceLastMessage.Restart();
        var idled = false;
        bool Done()
        {
            idled = request.IdleTimeout is { } idle && sinceLastMessage.Elapsed >= idle;
            return idled || (request.Count is { } limit && received >= limit) || outputClosed is not null;
        }

        if (live)
        {
            await RunLiveAsync(console, session, board, Done, cancellationToken);
        }
        else
        {
            await session.PollUntilCancelledAsync(
                () =>
                {
                    console.Output.Flush();
                    return Done();
                },
                cancellationToken);
            if (outputClosed is null)
            {
                await console.Output.FlushAsync(CancellationToken.None);
            }
        }

        if (outputClosed is not null)
        {
            throw outputClosed;
        }

        if (idled)
        {
            await console.Error.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"No message for {request.IdleTimeout!.Value.TotalSeconds:0.###} s: stopping after {received} message(s)."));
        }

        return ExitCodes.Ok;
    }

    private static SubFormat OutputFormat(bool json, bool raw) => (json, raw) switch
    {
        (true, true) => throw new CliException("give only one of --json and --raw", ExitCodes.Usage),
        (true, false) => SubFormat.Json,
        (false, true) => SubFormat.Raw,
        _ => SubFormat.Text,
    };

    private static TimeSpan? IdleTimeout(double? seconds) => seconds switch
    {
        null => null,
        > 0 when seconds <= TimeSpan.MaxValue.TotalSeconds => TimeSpan.FromSeconds(seconds.Value),
        _ => throw new CliException("--idle-timeout: give a number of seconds above 0", ExitCodes.Usage),
    };

    private static async Task RunLiveAsync(
        CliConsole console,
        ClientSession session,
        ChannelBoard board,
        Func<bool> done,
        CancellationToken cancellationToken)
    {
        var terminal = Terminal.Create(console);
        await terminal.Live(board.Render(StatusLine.For(session.Client), DateTimeOffset.UtcNow))
            .StartAsync(async context =>
            {
                var lastRender = DateTimeOffset.MinValue;
                await session.PollUntilCancelledAsync(
                    () =>
                    {
                        var now = DateTimeOffset.UtcNow;
                        if (now - lastRender >= RenderInterval || done())
                        {
                            context.UpdateTarget(board.Render(StatusLine.For(session.Client), now));
                            context.Refresh();
                            lastRender = now;
                        }

                        return done();
                    },
                    cancellationToken);
            });
    }

    private static long? RequirePositive(long? count) => count is null or > 0
        ? count
        : throw new CliException("--count: give a number above 0", ExitCodes.Usage);

    private sealed record Request(
        ConnectionSettings Settings,
        TimeSpan Timeout,
        string[] Channels,
        SubFormat Format,
        long? Count,
        TimeSpan? IdleTimeout);

    private enum SubFormat
    {
        Text,
        Json,
        Raw,
    }
}

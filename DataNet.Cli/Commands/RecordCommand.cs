using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;
using DataNet.Cli.Recording;
using DataNet.Td;

namespace DataNet.Cli.Commands;

/// <summary>
/// <c>datanet record CHANNEL... --out FILE</c>: every message on the channels, with its arrival time, into a JSON Lines
/// recording (<see cref="RecordingWriter"/>) until Ctrl-C, SIGTERM, <c>--duration</c> or <c>--max-messages</c>. On
/// stopping it first writes every message already received, so the counts it prints are the lines in the file.
/// </summary>
internal static class RecordCommand
{
    /// <summary>
    /// How often the recorder polls: arrival times are stamped when a poll takes a message off the client's inbox,
    /// so this is their resolution (TD's frame, 16.7 ms, would be too coarse to replay a sensor's rhythm).
    /// </summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>How often received lines are handed to the operating system (a crash loses at most this much).</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var arguments = new Argument<string[]>("channel")
        {
            Description = "Channels to record (default: $DATANET_CHANNEL, comma-separated). The file may come first instead of --out, when it ends in .jsonl.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out", "-o") { Description = "The recording to write (JSON Lines)." };
        var duration = new Option<string?>("--duration", "-d") { Description = "Stop after this long, e.g. 90, 30s, 10m, 1h (default: until Ctrl-C)." };
        var maxMessages = new Option<long?>("--max-messages", "-n") { Description = "Stop after this many messages." };
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite the file if it exists." };
        var command = new Command("record", "Record every message on channels, with its arrival time, to a file until Ctrl-C.")
        {
            arguments, output, duration, maxMessages, force,
        };
        StrictArguments.RejectOptionLike(arguments);
        StrictArguments.RejectBlank(arguments, "channel");
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (file, channels) = FileAndChannels(parseResult.GetValue(output), parseResult.GetValue(arguments) ?? []);
            var request = new Request(
                connection.Bind(parseResult, console),
                connection.BindTimeout(parseResult),
                ChannelResolver.Resolve(channels, console),
                file,
                parseResult.GetValue(duration) is { } text ? Positive(DurationText.Parse(text, "--duration")) : null,
                parseResult.GetValue(maxMessages) is { } max and <= 0
                    ? throw new CliException("--max-messages: give a number above 0", ExitCodes.Usage)
                    : parseResult.GetValue(maxMessages),
                parseResult.GetValue(force));
            return RunAsync(console, request, cancellationToken);
        });
        return command;
    }

    /// <summary>The file from <c>--out</c>, else the first argument when it ends in <c>.jsonl</c>; the rest are channels.</summary>
    private static (string File, string[] Channels) FileAndChannels(string? output, string[] arguments)
    {
        if (!string.IsNullOrWhiteSpace(output))
        {
            return (output, arguments);
        }

        return arguments.Length > 0 && arguments[0].EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? (arguments[0], arguments[1..])
            : throw new CliException("no file to record to: give --out FILE (or the file first, ending in .jsonl)", ExitCodes.Usage);
    }

    private static TimeSpan Positive(TimeSpan duration) => duration > TimeSpan.Zero
        ? duration
        : throw new CliException("--duration: give a duration above 0", ExitCodes.Usage);

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken cancellationToken)
    {
        var stream = OpenOutput(request.File, request.Force);
        var completed = false;
        try
        {
            await RecordAsync(console, request, stream, cancellationToken);
            completed = true;
        }
        finally
        {
            var written = stream.Length;
            await stream.DisposeAsync();
            if (!completed && written == 0)
            {
                File.Delete(request.File); // nothing recorded: leave no empty file behind a failed start
            }
        }

        return ExitCodes.Ok;
    }

    private static FileStream OpenOutput(string file, bool force)
    {
        try
        {
            // CreateNew refuses an existing file atomically: no check-then-write race with another recorder.
            return new FileStream(file, force ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (IOException) when (!force && File.Exists(file))
        {
            throw new CliException($"{TerminalText.Visible(file)} exists: give --force to overwrite it, or another file", ExitCodes.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {TerminalText.Visible(file)}: {e.Message.TrimEnd('.')}", ExitCodes.Failure);
        }
    }

    private static async Task RecordAsync(CliConsole console, Request request, FileStream stream, CancellationToken cancellationToken)
    {
        using var session = new ClientSession(request.Settings);
        var writer = new RecordingWriter(stream);
        var clock = new Stopwatch();
        var limitReached = false;

        void Handler(DataNetMessage message)
        {
            if (request.MaxMessages is { } max && writer.Messages >= max)
            {
                limitReached = true;
                return; // more may already be in this poll's batch
            }

            writer.Write(RecordedMessage.Received(message, clock.Elapsed));
        }

        session.SubscribeAll(request.Channels, Handler);

        await session.ConnectAsync(request.Timeout, cancellationToken);
        await session.WaitForSubscriptionsAsync(request.Channels, request.Timeout, cancellationToken);

        // Offsets count from here: the moment every subscription stands (a message before it is at 0).
        writer.WriteHeader(new RecordingHeader(
            RecordingHeader.CurrentVersion,
            DateTimeOffset.UtcNow,
            request.Channels,
            RecordingHeader.WithoutSecrets(request.Settings.WsUrl)));
        clock.Start();
        await console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Recording {string.Join(", ", request.Channels.Select(TerminalText.Visible))} at {request.Settings.Describe()} to {TerminalText.Visible(request.File)}. Ctrl-C to stop."));

        var progress = new ProgressLine(console.Error, console.IsErrorTerminal);
        var lastFlush = TimeSpan.Zero;
        var stoppedBy = "Ctrl-C";
        try
        {
            while (true)
            {
                session.Poll();
                if (limitReached || (request.MaxMessages is { } max && writer.Messages >= max))
                {
                    stoppedBy = "--max-messages";
                    break;
                }

                if (request.Duration is { } duration && clock.Elapsed >= duration)
                {
                    stoppedBy = "--duration";
                    break;
                }

                if (clock.Elapsed - lastFlush >= FlushInterval)
                {
                    writer.Flush();
                    lastFlush = clock.Elapsed;
                }

                progress.Update(() => Describe(writer, clock.Elapsed));
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: a clean end; what was received is written below.
        }

        // Everything the socket already took lands in the file: drain the client's inbox, not only this frame's share.
        while (!limitReached && session.Poll().Remaining > 0)
        {
        }

        writer.Flush();
        stream.Flush(flushToDisk: true);
        progress.Clear();
        await console.Output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Recorded {writer.Messages:N0} message{(writer.Messages == 1 ? string.Empty : "s")} ({writer.Bytes:N0} bytes) in {clock.Elapsed.TotalSeconds:0.0} s to {TerminalText.Visible(request.File)}: {writer.Messages + 1:N0} lines with the header. Stopped by {stoppedBy}."));
    }

    private static string Describe(RecordingWriter writer, TimeSpan elapsed) => string.Create(
        CultureInfo.InvariantCulture,
        $"recording: {writer.Messages:N0} messages, {HumanUnits.Size(writer.Bytes)}, {(elapsed.TotalSeconds > 0 ? writer.Messages / elapsed.TotalSeconds : 0):0.0} msg/s, {HumanUnits.Clock(elapsed)} elapsed");

    private sealed record Request(
        ConnectionSettings Settings,
        TimeSpan Timeout,
        string[] Channels,
        string File,
        TimeSpan? Duration,
        long? MaxMessages,
        bool Force);
}

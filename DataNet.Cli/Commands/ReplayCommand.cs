using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
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
/// <c>datanet replay FILE</c>: publishes a recording made by <c>datanet record</c> with its original timing, or scaled,
/// looped, from an offset, on the same or remapped channels. The file is read and checked whole before connecting.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>Malformed lines reported one by one; past this, only their count (a broken file must not flood the terminal).</summary>
    private const int ProblemsShown = 20;

    private const int BarWidth = 20;

    public static Command Create(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var file = new Argument<string>("file") { Description = "The recording (JSON Lines, from datanet record)." };
        var speed = new Option<double>("--speed", "-s")
        {
            Description = "Playback speed: 2 is twice as fast, 0.5 half as fast.",
            DefaultValueFactory = _ => 1,
        };
        var loop = new Option<string?>("--loop") { Description = "Play it this many times, or 'forever' (until Ctrl-C). Default: once." };
        var from = new Option<string?>("--from") { Description = "Start this far into the recording, e.g. 30s, 1m30s (default: the start)." };
        var map = new Option<string[]>("--map")
        {
            Description = "Publish a channel under another name: OLD=NEW, or a prefix 'OLD.*=NEW.*'. Repeatable.",
            Arity = ArgumentArity.OneOrMore,
        };
        var strict = new Option<bool>("--strict") { Description = "Refuse the whole file at its first malformed line (default: skip such lines, exit 2 at the end)." };
        var command = new Command("replay", "Publish a recording with its original timing (or scaled, looped, from an offset, remapped).")
        {
            file, speed, loop, from, map, strict,
        };
        StrictArguments.RejectOptionLike(file);
        StrictArguments.RejectBlank(file, "file");
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new Request(
                connection.Bind(parseResult, console),
                connection.BindTimeout(parseResult),
                parseResult.GetValue(file)!,
                new ReplayTiming(
                    parseResult.GetValue(from) is { } offset ? DurationText.Parse(offset, "--from") : TimeSpan.Zero,
                    Speed(parseResult.GetValue(speed)),
                    Passes(parseResult.GetValue(loop))),
                ChannelMap.Parse(parseResult.GetValue(map) ?? []),
                parseResult.GetValue(strict));
            return RunAsync(console, request, cancellationToken);
        });
        return command;
    }

    private static double Speed(double speed) => speed > 0 && speed <= 1000
        ? speed
        : throw new CliException("--speed: give a number above 0 and at most 1000 (0.5 is half speed, 4 four times as fast)", ExitCodes.Usage);

    /// <summary><c>--loop N</c> (N passes, N at least 1), <c>--loop forever</c>; no option: one pass.</summary>
    private static long? Passes(string? loop) => loop?.Trim() switch
    {
        null => 1,
        "forever" or "inf" => null,
        var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var passes) && passes >= 1 => passes,
        _ => throw new CliException($"--loop: '{TerminalText.Visible(loop)}' is not a number of passes (1 or more) or 'forever'", ExitCodes.Usage),
    };

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken cancellationToken)
    {
        var recording = await ReadAsync(request, cancellationToken);
        var shownFile = TerminalText.Visible(request.File);
        foreach (var problem in recording.Problems.Take(ProblemsShown))
        {
            await console.Error.WriteLineAsync($"datanet: {shownFile} {problem}; skipped");
        }

        if (recording.Problems.Count > ProblemsShown)
        {
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"datanet: {shownFile}: {recording.Problems.Count - ProblemsShown:N0} more malformed line(s) skipped"));
        }

        var schedule = new ReplaySchedule(recording.Messages.Select(m => m.OffsetMs).ToArray(), request.Timing);
        if (schedule.PerPass == 0)
        {
            throw new CliException(
                recording.Messages.Count == 0
                    ? $"nothing to play: {shownFile} holds no valid message"
                    : $"nothing to play: every message of {shownFile} is before --from {DurationText.Format(request.Timing.From)} (the last is at {DurationText.Format(TimeSpan.FromMilliseconds(recording.Messages[^1].OffsetMs))})",
                ExitCodes.Usage);
        }

        using var session = new ClientSession(request.Settings, rateLimitEnds: false);
        await session.ConnectAsync(request.Timeout, cancellationToken);
        await console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Replaying {schedule.PerPass:N0} message(s) of {shownFile} at {request.Settings.Describe()}, speed {request.Timing.Speed:0.###}, {PassesText(request.Timing.Passes)}, {LengthText(schedule)}. Ctrl-C to stop."));

        var progress = new ProgressLine(console.Error, console.IsErrorTerminal);
        var replayer = new Replayer(session, recording, schedule, request.Map, request.Timeout)
        {
            Progress = now => progress.Update(() => Describe(now, schedule, request.Timing, console.IsErrorTerminal)),
            RateLimited = error =>
            {
                progress.Clear();
                console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"datanet: rate limited by the gateway{(error.Scope is null ? string.Empty : $" (per {TerminalText.Visible(error.Scope)})")}: publishing paused for {error.RetryMs ?? 1000} ms, then paced; the replay runs behind its schedule"));
            },
        };
        var result = await replayer.RunAsync(cancellationToken);
        progress.Clear();
        await console.Output.WriteLineAsync(Summary(request, recording, schedule, result));
        return ExitCode(recording, result);
    }

    private static async Task<RecordingContent> ReadAsync(Request request, CancellationToken cancellationToken)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(request.File, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException($"cannot read {TerminalText.Visible(request.File)}: {TerminalText.Visible(e.Message.TrimEnd('.'))}", ExitCodes.Usage);
        }

        using (reader)
        {
            try
            {
                return await RecordingReader.ReadAsync(reader, request.Strict, cancellationToken);
            }
            catch (CliException e)
            {
                throw new CliException($"{TerminalText.Visible(request.File)}: {e.Message}", e.ExitCode);
            }
        }
    }

    private static string PassesText(long? passes) => passes switch
    {
        null => "looping until Ctrl-C",
        1 => "once",
        _ => string.Create(CultureInfo.InvariantCulture, $"{passes} times"),
    };

    private static string LengthText(ReplaySchedule schedule) => schedule.Length is { } length
        ? $"{HumanUnits.Clock(length)} long"
        : $"{HumanUnits.Clock(schedule.PassPeriod)} a pass";

    /// <summary>A bar with percentage on a terminal; the same counts as a plain line otherwise.</summary>
    private static string Describe(ReplayProgress now, ReplaySchedule schedule, ReplayTiming timing, bool terminal)
    {
        var late = string.Create(CultureInfo.InvariantCulture, $"late at most {now.MaxLateness.TotalMilliseconds:0.0} ms");
        if (schedule.Total is not { } total || schedule.Length is not { } length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"replay: {now.Published:N0} messages, pass {now.Pass + 1:N0} (looping), {HumanUnits.Clock(now.Elapsed)} elapsed, {late}");
        }

        var counts = string.Create(CultureInfo.InvariantCulture, $"{now.Published:N0}/{total:N0} messages, pass {now.Pass + 1}/{timing.Passes}, {HumanUnits.Clock(now.Elapsed)}/{HumanUnits.Clock(length)}, {late}");
        if (!terminal)
        {
            return "replay: " + counts;
        }

        var fraction = total == 0 ? 1 : Math.Clamp((double)now.Published / total, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:0}% {counts}");
    }

    private static string Summary(Request request, RecordingContent recording, ReplaySchedule schedule, ReplayResult result)
    {
        var planned = schedule.Total is { } total ? string.Create(CultureInfo.InvariantCulture, $" of {total:N0}") : string.Empty;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Replayed {TerminalText.Visible(request.File)}: published {result.Published:N0}{planned} message(s) in {result.Passes:N0} pass(es) over {result.Elapsed.TotalSeconds:0.0} s");
        text.Append(result.Stopped ? ", stopped by Ctrl-C" : string.Empty).Append(". ");
        text.Append(CultureInfo.InvariantCulture, $"Skipped {recording.Problems.Count:N0} malformed line(s); {schedule.BeforeFrom:N0} message(s) before --from not played. ");
        text.Append(CultureInfo.InvariantCulture, $"Refused by the gateway: {result.RefusedByGateway:N0}; unconfirmed (connection lost in flight): {result.Unconfirmed:N0}; rate-limit pauses: {result.RateLimitPauses:N0}. ");
        text.Append(CultureInfo.InvariantCulture, $"Late against the schedule: {result.MeanLateness.TotalMilliseconds:0.00} ms on average, {result.MaxLateness.TotalMilliseconds:0.00} ms at most.");
        return text.ToString();
    }

    private static int ExitCode(RecordingContent recording, ReplayResult result)
    {
        if (result.RefusedByGateway > 0)
        {
            throw new CliException(
                string.Create(CultureInfo.InvariantCulture, $"{result.RefusedByGateway:N0} of {result.Published:N0} published message(s) were refused by the gateway{(result.RateLimitPauses > 0 ? " (rate limited)" : string.Empty)}"),
                result.RateLimitPauses > 0 ? ExitCodes.RateLimited : ExitCodes.Failure);
        }

        return recording.Problems.Count > 0
            ? throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{recording.Problems.Count:N0} malformed line(s) of the recording were skipped"), ExitCodes.Usage)
            : ExitCodes.Ok;
    }

    private sealed record Request(ConnectionSettings Settings, TimeSpan Timeout, string File, ReplayTiming Timing, ChannelMap Map, bool Strict);
}

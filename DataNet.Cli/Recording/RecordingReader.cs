using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Hosting;
using DataNet.Cli.Output;
using DataNet.Cli.Pub;

namespace DataNet.Cli.Recording;

/// <summary>A line of a recording that could not be used, by its 1-based number, and why (safe for a terminal).</summary>
internal sealed record RecordingProblem(long LineNumber, string Reason)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {LineNumber}: {Reason}");
}

/// <summary>A recording read whole: its header, the messages in file order, and every line that was skipped.</summary>
internal sealed record RecordingContent(RecordingHeader Header, IReadOnlyList<RecordedMessage> Messages, IReadOnlyList<RecordingProblem> Problems);

/// <summary>
/// Reads and checks a recording strictly: the first line must be a header of a version this tool reads; every other
/// non-blank line must be a message (a finite, non-decreasing offset <c>t</c>, a channel, and a payload: <c>d</c>, or
/// <c>bin:true</c> with valid base64). A bad line is a <see cref="RecordingProblem"/> naming its number, never an
/// exception, unless <c>strict</c>; no line is held beyond <see cref="MaxLineChars"/>.
/// </summary>
internal static class RecordingReader
{
    /// <summary>Longest line read: a 1 MiB message (the gateway's limit) as base64 with its keys, and room to spare.</summary>
    public const int MaxLineChars = 2 * 1024 * 1024;

    public static async Task<RecordingContent> ReadAsync(TextReader input, bool strict, CancellationToken cancellationToken)
    {
        var reader = new BoundedLineReader(input, MaxLineChars);
        var messages = new List<RecordedMessage>();
        var problems = new List<RecordingProblem>();
        RecordingHeader? header = null;
        long lineNumber = 0;
        var lastOffset = 0.0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (!line.IsTooLong && string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }

            if (header is null)
            {
                header = ParseHeader(line, lineNumber);
                continue;
            }

            string? problem;
            RecordedMessage? message = null;
            if (line.IsTooLong)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"too long ({line.Length:N0} characters, at most {MaxLineChars:N0})");
            }
            else
            {
                problem = TryParseMessage(line.Text!, out message);
            }

            if (problem is null && message!.OffsetMs < lastOffset)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"offset t={message.OffsetMs} ms is before the previous line's {lastOffset} ms");
            }

            if (problem is not null)
            {
                var found = new RecordingProblem(lineNumber, TerminalText.Visible(problem));
                if (strict)
                {
                    throw new CliException($"{found} (--strict: nothing was published)", ExitCodes.Usage);
                }

                problems.Add(found);
                continue;
            }

            lastOffset = message!.OffsetMs;
            messages.Add(message);
        }

        return header is null
            ? throw new CliException("the recording is empty: no header line", ExitCodes.Usage)
            : new RecordingContent(header, messages, problems);
    }

    private static RecordingHeader ParseHeader(InputLine line, long lineNumber)
    {
        var notARecording = string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} is not a DataNet recording header (made by `datanet record`)");
        if (line.IsTooLong)
        {
            throw new CliException(notARecording, ExitCodes.Usage);
        }

        try
        {
            using var document = JsonDocument.Parse(line.Text!);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(RecordingKeys.Format, out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != RecordingHeader.Format
                || !root.TryGetProperty(RecordingKeys.Version, out var versionElement) || !versionElement.TryGetInt32(out var version))
            {
                throw new CliException(notARecording, ExitCodes.Usage);
            }

            if (version is < 1 or > RecordingHeader.CurrentVersion)
            {
                throw new CliException(
                    string.Create(CultureInfo.InvariantCulture, $"the recording is format version {version}; this datanet reads version {RecordingHeader.CurrentVersion}: update datanet"),
                    ExitCodes.Usage);
            }

            var startedAt = root.TryGetProperty(RecordingKeys.StartedAt, out var started) && started.ValueKind == JsonValueKind.String
                && started.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.MinValue;
            var channels = new List<string>();
            if (root.TryGetProperty(RecordingKeys.Channels, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var channel in list.EnumerateArray())
                {
                    if (channel.ValueKind == JsonValueKind.String)
                    {
                        channels.Add(channel.GetString()!);
                    }
                }
            }

            var gateway = root.TryGetProperty(RecordingKeys.Gateway, out var url) && url.ValueKind == JsonValueKind.String ? url.GetString()! : string.Empty;
            return new RecordingHeader(version, startedAt, channels, gateway);
        }
        catch (JsonException)
        {
            throw new CliException(notARecording, ExitCodes.Usage);
        }
    }

    /// <summary>Null and the message, or what is wrong with the line.</summary>
    private static string? TryParseMessage(string text, out RecordedMessage? message)
    {
        message = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: 7.": the file's line number is given already.
            var at = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return string.Create(CultureInfo.InvariantCulture, $"not valid JSON: {(at < 0 ? e.Message : e.Message[..at]).TrimEnd('.')} (at character {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "not a JSON object";
            }

            if (!root.TryGetProperty(RecordingKeys.Offset, out var offset) || !offset.TryGetDouble(out var offsetMs) || !double.IsFinite(offsetMs) || offsetMs < 0)
            {
                return "no offset: \"t\" must be a number of milliseconds, 0 or more";
            }

            if (!root.TryGetProperty(RecordingKeys.Channel, out var channel) || channel.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(channel.GetString()))
            {
                return "no channel: \"ch\" must be a non-empty string";
            }

            if (!TryOptionalString(root, RecordingKeys.From, out var from))
            {
                return "\"from\" must be a string";
            }

            long? timestamp = root.TryGetProperty(RecordingKeys.Timestamp, out var ts) && ts.TryGetInt64(out var tsValue) ? tsValue : null;
            var binary = root.TryGetProperty(RecordingKeys.Binary, out var bin) && bin.ValueKind == JsonValueKind.True;
            if (!binary)
            {
                if (!root.TryGetProperty(RecordingKeys.Data, out var data))
                {
                    return "no payload: \"d\" (JSON) or \"bin\":true with \"b64\"";
                }

                message = new RecordedMessage(offsetMs, channel.GetString()!, from, timestamp, data.GetRawText(), null, null, null);
                return null;
            }

            if (!root.TryGetProperty(RecordingKeys.Base64, out var b64) || b64.ValueKind != JsonValueKind.String || !b64.TryGetBytesFromBase64(out var bytes))
            {
                return "\"b64\" must be standard base64 text";
            }

            if (!TryOptionalString(root, RecordingKeys.ContentType, out var contentType))
            {
                return "\"ct\" must be a string";
            }

            string? metadata = null;
            if (root.TryGetProperty(RecordingKeys.Metadata, out var meta))
            {
                if (meta.ValueKind != JsonValueKind.Object)
                {
                    return "\"meta\" must be a JSON object";
                }

                metadata = meta.GetRawText();
            }

            message = new RecordedMessage(offsetMs, channel.GetString()!, from, timestamp, null, bytes, contentType, metadata);
            return null;
        }
    }

    /// <summary>False when <paramref name="key"/> is present but not a string; absent is fine (null).</summary>
    private static bool TryOptionalString(JsonElement root, string key, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(key, out var element))
        {
            return true;
        }

        value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }
}

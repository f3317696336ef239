using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Pub;

/// <summary>
/// <c>--stdin</c>: one message per input line, sent as it is read, waiting for the socket when input comes
/// faster. A line that is not JSON, or too big to send, is reported with its number and skipped; the stream goes
/// on, and the exit code says that some lines were not sent.
/// </summary>
internal sealed class StdinPublisher(Publisher publisher, TextReader input, TextWriter error, TimeSpan timeout, int maxLineChars)
{
    /// <summary>Non-blank input lines: each one is published, not valid JSON, or too big.</summary>
    public long LineCount { get; private set; }

    private long _lineNumber;

    public long BadLines { get; private set; }

    public long TooBigLines { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = new BoundedLineReader(input, maxLineChars);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                _lineNumber++;
                if (line.IsTooLong)
                {
                    LineCount++;
                    await SkipTooBigAsync(string.Create(CultureInfo.InvariantCulture, $"{line.Length:N0} characters, over the {maxLineChars:N0}-byte message limit"));
                    continue;
                }

                var text = line.Text!.Trim();
                if (text.Length == 0)
                {
                    continue; // blank lines are not messages
                }

                LineCount++;

                if (!JsonPayload.TryValidate(text, out var problem))
                {
                    BadLines++;
                    await error.WriteLineAsync(
                        string.Create(CultureInfo.InvariantCulture, $"datanet: line {_lineNumber} not sent, not valid JSON: {problem}"));
                    continue;
                }

                await publisher.WaitForRoomAsync(timeout, cancellationToken);
                try
                {
                    publisher.Send(new JsonMessagePayload(text));
                }
                catch (CliException e) when (e.ExitCode == ExitCodes.Usage)
                {
                    // Under the character limit yet over the byte limit once encoded (multi-byte text).
                    await SkipTooBigAsync(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: what was read so far is still flushed.
        }
    }

    /// <summary>What happened to the input, in counts that add up: lines = published + not JSON + too big.</summary>
    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"{LineCount} line(s) read: {publisher.Sent} published, {BadLines} not valid JSON, {TooBigLines} too big.");

    /// <summary>Fails the command when some lines were skipped, after the good ones were sent.</summary>
    public void ThrowIfSkipped()
    {
        var skipped = BadLines + TooBigLines;
        if (skipped > 0)
        {
            throw new CliException(
                string.Create(CultureInfo.InvariantCulture, $"{skipped} of {LineCount} input line(s) were not sent ({BadLines} not valid JSON, {TooBigLines} too big)"),
                ExitCodes.Usage);
        }
    }

    private async Task SkipTooBigAsync(string why)
    {
        TooBigLines++;
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"datanet: line {_lineNumber} not sent, too big: {why}"));
    }
}

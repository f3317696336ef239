using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Pub;

/// <summary>
/// <c>--stdin</c>: one message per input line, sent as it is read. A line that is not JSON is reported
/// with its number and skipped; the others still go out, and the exit code says that some did not.
/// </summary>
internal sealed class StdinPublisher(Publisher publisher, TextReader input, TextWriter error, TimeSpan timeout)
{
    public long BadLines { get; private set; }

    public long LineCount { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await input.ReadLineAsync(cancellationToken).AsTask().WaitAsync(cancellationToken) is { } line)
            {
                LineCount++;
                var text = line.Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                if (!JsonPayload.TryValidate(text, out var problem))
                {
                    BadLines++;
                    await error.WriteLineAsync(
                        string.Create(CultureInfo.InvariantCulture, $"datanet: line {LineCount} not sent, not valid JSON: {problem}"));
                    continue;
                }

                await publisher.SendPacedAsync(new JsonMessagePayload(text), timeout, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: what was read so far is still flushed.
        }
    }

    /// <summary>Fails the command when some lines were skipped, after the good ones were sent.</summary>
    public void ThrowIfSkipped()
    {
        if (BadLines > 0)
        {
            throw new CliException(
                string.Create(CultureInfo.InvariantCulture, $"{BadLines} of {LineCount} input line(s) were not valid JSON and were not sent"),
                ExitCodes.Usage);
        }
    }
}

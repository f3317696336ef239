using System;
using System.Diagnostics;
using System.IO;

namespace DataNet.Cli.Output;

/// <summary>
/// A long command's progress on stderr: on a terminal one line rewritten in place four times a second; otherwise
/// (a log, CI, a pipe) a plain line every <see cref="PlainInterval"/>, so a log stays readable.
/// </summary>
internal sealed class ProgressLine(TextWriter error, bool isTerminal)
{
    /// <summary>How often a terminal's line is rewritten.</summary>
    public static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a plain line is written when stderr is not a terminal.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _sinceShown = Stopwatch.StartNew();
    private int _shownWidth;

    /// <summary>Shows <paramref name="text"/> when its interval has passed since the last one; <paramref name="describe"/> runs only then.</summary>
    public void Update(Func<string> describe)
    {
        if (_sinceShown.Elapsed < (isTerminal ? TerminalInterval : PlainInterval))
        {
            return;
        }

        _sinceShown.Restart();
        var text = describe();
        if (isTerminal)
        {
            // Pad over what the longer previous line left; no newline, so the next update overwrites it.
            error.Write("\r" + text.PadRight(_shownWidth));
            _shownWidth = text.Length;
        }
        else
        {
            error.WriteLine(text);
        }

        error.Flush();
    }

    /// <summary>Clears a terminal's line, so the summary that follows starts on a clean line.</summary>
    public void Clear()
    {
        if (isTerminal && _shownWidth > 0)
        {
            error.Write("\r" + new string(' ', _shownWidth) + "\r");
            error.Flush();
            _shownWidth = 0;
        }
    }
}

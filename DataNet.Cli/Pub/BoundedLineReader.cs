using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Cli.Pub;

/// <summary>One input line, or the sign that it was too long (its text was not kept).</summary>
internal readonly record struct InputLine(string? Text, long Length)
{
    public bool IsTooLong => Text is null;
}

/// <summary>
/// Reads lines without ever holding more than <c>maxChars</c> of one: a longer line is skipped to its end and
/// reported by length, so one runaway line neither exhausts memory nor ends the stream.
/// </summary>
internal sealed class BoundedLineReader(TextReader input, int maxChars)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next line (without its line break), or null at the end of the input.</summary>
    public async Task<InputLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        long length = 0;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await input.ReadAsync(_buffer.AsMemory(), cancellationToken);
                if (_end == 0)
                {
                    return length == 0 ? null : Finish(line, length);
                }
            }

            var newline = Array.IndexOf(_buffer, '\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            var take = stop - _start;
            if (length + take <= maxChars)
            {
                line.Append(_buffer, _start, take);
            }

            length += take;
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Finish(line, length);
            }
        }
    }

    private InputLine Finish(StringBuilder line, long length)
    {
        if (length > maxChars)
        {
            return new InputLine(null, length);
        }

        var text = line.ToString();
        return new InputLine(text.EndsWith('\r') ? text[..^1] : text, length);
    }
}

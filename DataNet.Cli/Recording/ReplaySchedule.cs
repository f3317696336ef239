using System;
using System.Collections.Generic;

namespace DataNet.Cli.Recording;

/// <summary>How a recording is played: from an offset, at a speed, for a number of passes (null: until stopped).</summary>
internal sealed record ReplayTiming(TimeSpan From, double Speed, long? Passes)
{
    public static ReplayTiming Original { get; } = new(TimeSpan.Zero, 1, 1);
}

/// <summary>One message's turn: which recorded message, in which pass, and when, counted from the start of the replay.</summary>
internal readonly record struct ScheduledMessage(int Index, long Pass, TimeSpan Due);

/// <summary>
/// When each message of a replay is due: a pure function of the recorded offsets and the <see cref="ReplayTiming"/>, so
/// it is tested on virtual time. Every due time is an absolute deadline from the replay's start, never the sum of the
/// waits before it, so a late message never delays the ones after it. Messages recorded before <c>--from</c> are not
/// played; the first played message is due at its offset minus <c>--from</c>. A pass lasts from <c>--from</c> to the
/// last message plus one mean message interval (one second for a single message); passes follow each other at that period.
/// All of it is divided by the speed.
/// </summary>
internal sealed class ReplaySchedule
{
    private static readonly TimeSpan SingleMessageGap = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<double> _offsetsMs;
    private readonly ReplayTiming _timing;

    public ReplaySchedule(IReadOnlyList<double> offsetsMs, ReplayTiming timing)
    {
        if (!(timing.Speed > 0) || double.IsInfinity(timing.Speed))
        {
            throw new ArgumentOutOfRangeException(nameof(timing), "the speed must be a finite number above 0");
        }

        _offsetsMs = offsetsMs;
        _timing = timing;
        FirstIndex = FirstAtOrAfter(offsetsMs, timing.From.TotalMilliseconds);
        var played = offsetsMs.Count - FirstIndex;
        var fromMs = timing.From.TotalMilliseconds;
        var gapMs = played > 1
            ? (offsetsMs[^1] - offsetsMs[FirstIndex]) / (played - 1)
            : SingleMessageGap.TotalMilliseconds;
        PassPeriod = played == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds((offsetsMs[^1] - fromMs + Math.Max(gapMs, 1)) / timing.Speed);
    }

    /// <summary>The first message played (the first at or after <c>--from</c>); the count when none is.</summary>
    public int FirstIndex { get; }

    /// <summary>Messages played in each pass.</summary>
    public int PerPass => _offsetsMs.Count - FirstIndex;

    /// <summary>Messages the whole replay publishes; null when it loops until stopped.</summary>
    public long? Total => _timing.Passes is { } passes ? passes * PerPass : null;

    /// <summary>Messages recorded before <c>--from</c>, not played.</summary>
    public int BeforeFrom => FirstIndex;

    /// <summary>How long one pass takes at the chosen speed.</summary>
    public TimeSpan PassPeriod { get; }

    /// <summary>How long the whole replay takes; null when it loops until stopped.</summary>
    public TimeSpan? Length => _timing.Passes is { } passes && PerPass > 0
        ? Due(_offsetsMs.Count - 1, passes - 1)
        : _timing.Passes is null ? null : TimeSpan.Zero;

    /// <summary>When message <paramref name="index"/> of pass <paramref name="pass"/> (0-based) is due.</summary>
    public TimeSpan Due(int index, long pass) =>
        TimeSpan.FromMilliseconds((_offsetsMs[index] - _timing.From.TotalMilliseconds) / _timing.Speed) + PassPeriod * pass;

    /// <summary>Every message's turn, in order (endless when the replay loops until stopped).</summary>
    public IEnumerable<ScheduledMessage> Messages()
    {
        if (PerPass == 0)
        {
            yield break;
        }

        for (long pass = 0; _timing.Passes is null || pass < _timing.Passes; pass++)
        {
            for (var index = FirstIndex; index < _offsetsMs.Count; index++)
            {
                yield return new ScheduledMessage(index, pass, Due(index, pass));
            }
        }
    }

    private static int FirstAtOrAfter(IReadOnlyList<double> offsetsMs, double fromMs)
    {
        // Offsets never decrease (the reader checks): binary search for the first at or after --from.
        int low = 0, high = offsetsMs.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (offsetsMs[middle] < fromMs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

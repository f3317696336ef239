using System;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>Sizes of the end-to-end run; <c>--quick</c> shrinks every phase so the whole run takes under a minute.</summary>
internal sealed record E2eSettings
{
    public bool Quick { get; init; }

    /// <summary>Messages per receive-rate run (raw socket and SDK alike).</summary>
    public int RateMessages { get; init; } = 200_000;

    /// <summary>Measured raw/SDK pairs, alternated (after one warm-up pair).</summary>
    public int RateRounds { get; init; } = 3;

    /// <summary>Publish-to-dispatch samples, one per millisecond.</summary>
    public int LatencySamples { get; init; } = 5_000;

    /// <summary>Seconds of 60 fps frames with 10,000 msg/s arriving, in the Python child.</summary>
    public double FrameSeconds { get; init; } = 10;

    /// <summary>Seconds of flood with nobody polling.</summary>
    public double FloodSeconds { get; init; } = 10;

    public int FrameRate { get; init; } = 60;

    /// <summary>Only the TD phase (<c>--td</c>).</summary>
    public bool TdOnly { get; init; }

    public static E2eSettings Parse(string[] args)
    {
        var settings = new E2eSettings();
        foreach (var arg in args)
        {
            settings = arg switch
            {
                "--quick" => settings with { Quick = true, RateMessages = 40_000, RateRounds = 1, LatencySamples = 1_500, FrameSeconds = 4, FloodSeconds = 3 },
                "--td" => settings with { TdOnly = true },
                _ => throw new ArgumentException("unknown e2e option: " + arg + " (known: --quick, --td)"),
            };
        }

        return settings;
    }
}

using System;
using System.Globalization;

namespace DataNet.Benchmarks.Fanout;

/// <summary>Sizes of the fan-out run: <c>--messages N</c> (default 200,000), <c>--size BYTES</c> (64), <c>--publishers N</c> (1).</summary>
internal sealed record FanoutSettings
{
    public int Messages { get; init; } = 200_000;

    public int PayloadBytes { get; init; } = 64;

    public int Publishers { get; init; } = 1;

    public static FanoutSettings Parse(string[] args)
    {
        var settings = new FanoutSettings();
        for (var i = 0; i < args.Length; i++)
        {
            settings = args[i] switch
            {
                "--messages" => settings with { Messages = Int(args, ref i, 1, 100_000_000) },
                "--size" => settings with { PayloadBytes = Int(args, ref i, 1, 1_000_000) },
                "--publishers" => settings with { Publishers = Int(args, ref i, 1, 64) },
                _ => throw new ArgumentException("unknown fanout option: " + args[i] + " (known: --messages, --size, --publishers)"),
            };
        }

        return settings;
    }

    private static int Int(string[] args, ref int i, int min, int max)
    {
        var name = args[i];
        var text = i + 1 < args.Length ? args[++i] : string.Empty;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} needs a whole number from {min} to {max}, not '{text}'");
    }
}

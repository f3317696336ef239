using System;
using System.Globalization;
using System.Text.RegularExpressions;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Options;

/// <summary>
/// Durations as a person types them: <c>90</c> (seconds), <c>1.5s</c>, <c>250ms</c>, <c>2m</c>, <c>1m30s</c>, <c>1h2m3s</c>.
/// </summary>
internal static partial class DurationText
{
    /// <summary>The duration, or a <see cref="CliException"/> (exit 2) naming <paramref name="option"/> and the forms it takes.</summary>
    public static TimeSpan Parse(string text, string option)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var plainSeconds))
        {
            return FromSeconds(plainSeconds, text, option);
        }

        var match = Pattern().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
        {
            throw Invalid(text, option);
        }

        var seconds = Part(match, "h") * 3600 + Part(match, "m") * 60 + Part(match, "s") + Part(match, "ms") / 1000;
        return FromSeconds(seconds, text, option);
    }

    /// <summary>"1m30.5s", "12.3s", "250ms": the short form <see cref="Parse"/> reads back.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.#}ms");
        }

        var minutes = (long)duration.TotalMinutes;
        var seconds = duration.TotalSeconds - minutes * 60;
        return minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#}s")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds:00.#}s");
    }

    private static double Part(Match match, string unit) =>
        match.Groups[unit].Success ? double.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    private static TimeSpan FromSeconds(double seconds, string text, string option) =>
        seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : throw Invalid(text, option);

    private static CliException Invalid(string text, string option) => new(
        $"{option}: '{text}' is not a duration (for example 90, 30s, 1m30s, 250ms)",
        ExitCodes.Usage);

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m(?!s))?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+(?:\.\d+)?)ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

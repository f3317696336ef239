using System;
using System.Globalization;

namespace DataNet.Cli.Output;

/// <summary>Sizes and times as progress lines show them.</summary>
internal static class HumanUnits
{
    /// <summary>"123 B", "45.6 KB", "7.8 MB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MB"),
    };

    /// <summary>"04:07", "1:02:03".</summary>
    public static string Clock(TimeSpan elapsed) => elapsed.TotalHours >= 1
        ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}

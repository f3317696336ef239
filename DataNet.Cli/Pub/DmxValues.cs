using System.Globalization;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Pub;

/// <summary>Parses <c>--dmx 255,0,128</c>: channel values in order, from channel 1.</summary>
internal static class DmxValues
{
    public const int MaxChannels = 512;

    public static double[] Parse(string text)
    {
        var items = text.Split(',');
        if (items.Length > MaxChannels)
        {
            throw new CliException(
                string.Create(CultureInfo.InvariantCulture, $"--dmx: {items.Length} values, but a DMX universe has {MaxChannels} channels"),
                ExitCodes.Usage);
        }

        var values = new double[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i].Trim();
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new CliException(
                    string.Create(CultureInfo.InvariantCulture, $"--dmx: '{item}' (value {i + 1}) is not a number; give values 0 to 255 separated by commas, e.g. --dmx 255,0,128"),
                    ExitCodes.Usage);
            }
        }

        return values;
    }
}

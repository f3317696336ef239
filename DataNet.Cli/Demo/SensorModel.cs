using System;
using System.Globalization;

namespace DataNet.Cli.Demo;

/// <summary>
/// Synthetic sensors: smoothly varying numbers on several channels, shaped like what artists stream
/// (nested objects, an array, a boolean) so that the flattened CHOP names show every rule.
/// </summary>
internal static class SensorModel
{
    public static readonly string[] Channels = ["project.local.env", "project.local.motion", "project.local.audio", "project.local.light"];

    /// <summary>The JSON for <paramref name="channel"/> at <paramref name="t"/> seconds.</summary>
    public static string Sample(string channel, double t) => channel switch
    {
        "project.local.env" =>
            $"{{\"env\":{{\"t\":{N(21.5 + (2 * Math.Sin(0.2 * t)))},\"h\":{N(55 + (10 * Math.Sin((0.13 * t) + 1)))}}}}}",
        "project.local.motion" =>
            $"{{\"accel\":[{N(Math.Sin(1.1 * t))},{N(Math.Cos(0.7 * t))},{N(Math.Sin(0.5 * t) * Math.Cos(0.3 * t))}],\"still\":{(Math.Sin(0.25 * t) > 0.8 ? "true" : "false")}}}",
        "project.local.audio" =>
            $"{{\"level\":{N(0.5 + (0.4 * Math.Sin(3 * t) * Math.Sin(0.4 * t)))},\"bpm\":{N(120 + (4 * Math.Sin(0.05 * t)))}}}",
        "project.local.light" =>
            $"{{\"lux\":{N(300 + (200 * Math.Sin(0.07 * t)))},\"label\":\"studio\"}}",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a demo channel"),
    };

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

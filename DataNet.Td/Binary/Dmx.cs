using System;
using System.Collections.Generic;

namespace DataNet.Td;

/// <summary>DMX512 frames, byte-identical to the sibling SDKs' <c>buildDmxFrame</c>.</summary>
public static class Dmx
{
    /// <summary>Content type of a DMX frame.</summary>
    public const string ContentType = "binary/dmx";

    /// <summary>Slots in a full DMX universe.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// Builds a frame: each value clamped to 0..255 and truncated toward zero (NaN becomes 0), slots beyond the values
    /// zero-filled, values beyond the length ignored, length clamped to 1..512.
    /// <c>([255, 300, -1, 12.8], 6)</c> gives <c>[255, 255, 0, 12, 0, 0]</c>.
    /// </summary>
    /// <param name="values">Channel values (slot 1 first).</param>
    /// <param name="length">Frame length. Default: 512.</param>
    public static byte[] BuildFrame(IReadOnlyList<double> values, int length = MaxLength)
    {
        if (values is null)
        {
            throw new ArgumentNullException(nameof(values));
        }

        var frame = new byte[Math.Min(Math.Max(length, 1), MaxLength)];
        var count = Math.Min(values.Count, frame.Length);
        for (var i = 0; i < count; i++)
        {
            frame[i] = ToSlot(values[i]);
        }

        return frame;
    }

    /// <summary>The same as <see cref="BuildFrame(IReadOnlyList{double}, int)"/> for an array (what pythonnet passes for a list).</summary>
    /// <param name="values">Channel values (slot 1 first).</param>
    /// <param name="length">Frame length, clamped to 1..512.</param>
    public static byte[] BuildFrame(double[] values, int length) => BuildFrame((IReadOnlyList<double>)values, length);

    internal static byte ToSlot(double value)
    {
        if (double.IsNaN(value) || value <= 0)
        {
            return 0;
        }

        return value >= 255 ? (byte)255 : (byte)Math.Truncate(value);
    }
}

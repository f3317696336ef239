using System.Collections.Generic;
using System.Text;
using DataNet.Td.Protocol;
using DataNet.Td.Values;

namespace DataNet.Td.Tests;

/// <summary>Frames, messages and flattened fields from JSON text, the way the receive path sees them (UTF-8 bytes).</summary>
internal static class TestFrames
{
    public static ServerFrame Text(string json, long nowUnixMs) => ServerFrameReader.ReadText(Encoding.UTF8.GetBytes(json), nowUnixMs);

    public static DataNetMessage Json(string channel, string from, long timestamp, string dataJson) =>
        new(channel, from, timestamp, Encoding.UTF8.GetBytes(dataJson));

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static NumericField[] Flatten(string json)
    {
        var fields = new List<NumericField>();
        NumericFlattener.Flatten(Encoding.UTF8.GetBytes(json), fields, int.MaxValue);
        return fields.ToArray();
    }
}

using System;
using System.Globalization;
using System.Text;
using DataNet.Td;

namespace DataNet.Benchmarks.Micro;

/// <summary>The three message shapes every micro benchmark runs on, and their server envelopes.</summary>
public enum Payload
{
    /// <summary>About 60 bytes of JSON data: a small sensor reading with five numeric fields.</summary>
    Json60,

    /// <summary>About 1 KiB of JSON data: nested objects, an array and a few strings.</summary>
    Json1K,

    /// <summary>A 512-slot DMX frame as a binary message (<c>binary/dmx</c>, base64 on the wire).</summary>
    Dmx512,
}

/// <summary>Deterministic payloads (no randomness between runs).</summary>
public static class Payloads
{
    public const string Channel = "project.local.bench";
    public const string From = "dev-4f1c2a";
    public const long Timestamp = 1_764_067_200_000;

    /// <summary>55 bytes, five numeric fields.</summary>
    public const string Json60 = "{\"x\":0.4821,\"y\":0.1375,\"z\":0.9903,\"rssi\":-61,\"on\":true}";

    public static readonly string Json1K = BuildJson1K();

    public static readonly byte[] DmxFrame = Dmx.BuildFrame(BuildDmxLevels());

    public static readonly double[] DmxLevels = BuildDmxLevels();

    public static string Data(Payload payload) => payload switch
    {
        Payload.Json60 => Json60,
        Payload.Json1K => Json1K,
        _ => throw new ArgumentOutOfRangeException(nameof(payload), payload, "JSON payloads only"),
    };

    /// <summary>The text frame the gateway sends for this payload (<c>{"type":"message","op":"pub",...}</c>).</summary>
    public static string ServerEnvelope(Payload payload) => payload == Payload.Dmx512
        ? "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"" + Channel + "\",\"bin\":true,\"b64\":\"" + Convert.ToBase64String(DmxFrame) +
          "\",\"ct\":\"binary/dmx\",\"bytes\":512,\"ts\":" + Timestamp.ToString(CultureInfo.InvariantCulture) + ",\"from\":\"" + From + "\"}"
        : "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"" + Channel + "\",\"d\":" + Data(payload) +
          ",\"ts\":" + Timestamp.ToString(CultureInfo.InvariantCulture) + ",\"from\":\"" + From + "\"}";

    /// <summary><see cref="ServerEnvelope"/> as the UTF-8 bytes the transport hands over.</summary>
    public static byte[] ServerEnvelopeUtf8(Payload payload) => System.Text.Encoding.UTF8.GetBytes(ServerEnvelope(payload));

    /// <summary>A flat object with <paramref name="count"/> numeric fields <c>f0..fN</c>.</summary>
    public static string WideJson(int count, double offset = 0)
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append("\"f").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\":")
              .Append((i * 0.25 + offset).ToString("R", CultureInfo.InvariantCulture));
        }

        return sb.Append('}').ToString();
    }

    private static double[] BuildDmxLevels()
    {
        var levels = new double[512];
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = (i * 37) % 256;
        }

        return levels;
    }

    private static string BuildJson1K()
    {
        var sb = new StringBuilder();
        sb.Append("{\"device\":\"sensor-rack-07\",\"site\":\"hall B\",\"env\":{\"t\":21.5,\"h\":60.25,\"p\":1013.2,\"co2\":612},");
        sb.Append("\"imu\":{\"ax\":0.0123,\"ay\":-0.9811,\"az\":0.1402,\"gx\":1.25,\"gy\":-0.5,\"gz\":0.031},");
        sb.Append("\"on\":true,\"mode\":\"live\",\"levels\":[");
        var i = 0;
        while (sb.Length < 1000)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append((i * 0.173).ToString("F3", CultureInfo.InvariantCulture));
            i++;
        }

        return sb.Append("]}").ToString();
    }
}

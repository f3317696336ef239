using System.Globalization;
using DataNet.Td;

namespace DataNet.Cli.Output;

/// <summary>The one-line summary of a client under every live view: state, counters, latency. Never the key.</summary>
internal static class StatusLine
{
    public static string For(DataNetClient client)
    {
        var stats = client.Stats;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{client.Status} | received {stats.Received} | published {stats.Published} | dropped {stats.Dropped} | latency {stats.LatencyMs:0.0} ms | reconnects {stats.Reconnects}");
    }
}

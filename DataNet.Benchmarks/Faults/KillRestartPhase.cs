using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway;
using DataNet.Td;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.Faults;

/// <summary>
/// A publisher streams numbered messages while a subscriber holds five channels; the gateway is killed (every TCP
/// connection aborted, then the instance thrown away, as a killed process) and a new one started on the same port
/// (a new signing key: the clients' cached tokens are refused, as after a real restart). Every publish either reached
/// a gateway (recorded there) or is counted by the publisher; every channel is subscribed again after each restart.
/// </summary>
internal static class KillRestartPhase
{
    private const string Stream = "project.local.stream";
    private static readonly string[] Channels = Enumerable.Range(1, 5).Select(i => "project.local.held" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly TimeSpan Downtime = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PublishEvery = TimeSpan.FromMilliseconds(2);

    public sealed record Result(int LostSubscriptions, long Published, long Arrived, long Missing, long Unconfirmed, long Dropped, long Refused,
        double RecoveryP50, double RecoveryMax);

    public static async Task<Result> RunAsync(int kills)
    {
        var gateway = await StartAsync(0).ConfigureAwait(false);
        var port = gateway.Port;
        var arrived = new HashSet<string>(StringComparer.Ordinal);
        var options = DataNetOptions.LocalGateway(port) with { OutboxCapacity = 100_000 };
        using var subscriber = new DataNetClient(options with { DeviceId = "bench-subscriber" });
        using var publisher = new DataNetClient(options with { DeviceId = "bench-publisher" });
        foreach (var channel in Channels)
        {
            subscriber.Subscribe(channel);
        }

        await subscriber.ConnectAsync().ConfigureAwait(false);
        await publisher.ConnectAsync().ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        long accepted = 0;
        var publishing = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                if (publisher.Publish(Stream, n.ToString(CultureInfo.InvariantCulture)))
                {
                    Interlocked.Increment(ref accepted);
                }

                await Task.Delay(PublishEvery).ConfigureAwait(false);
            }
        });

        var recoveries = new List<double>();
        var lostSubscriptions = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            gateway.Faults.DropAllConnections();
            await gateway.DisposeAsync().ConfigureAwait(false);
            Collect(gateway, arrived);
            await Task.Delay(Downtime).ConfigureAwait(false);

            gateway = await StartAsync(port).ConfigureAwait(false);
            var back = Stopwatch.StartNew();
            while (!Recovered(gateway, subscriber, publisher) && back.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(1).ConfigureAwait(false);
            }

            var missing = Channels.Count(c => gateway.GetOccupancy(c) < 1);
            lostSubscriptions += missing;
            recoveries.Add(back.Elapsed.TotalSeconds);
            Console.WriteLine($"  kill {kill}: recovered in {back.Elapsed.TotalSeconds:F2} s, channels missing {missing}");
        }

        stop.Cancel();
        await publishing.ConfigureAwait(false);
        var drained = Stopwatch.StartNew();
        while (publisher.Stats.Queued > 0 && drained.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        // The last gateway reads what was written at its own pace: wait until its record stops growing.
        for (var seen = -1; Collected(gateway) != seen;)
        {
            seen = Collected(gateway);
            await Task.Delay(500).ConfigureAwait(false);
        }

        var stats = publisher.Stats;
        Collect(gateway, arrived);
        await gateway.DisposeAsync().ConfigureAwait(false);
        var total = Interlocked.Read(ref accepted);
        recoveries.Sort();
        return new Result(lostSubscriptions, total, arrived.Count, total - arrived.Count, stats.Unconfirmed, stats.DroppedOutboxOverflow,
            stats.RefusedByGateway, recoveries[recoveries.Count / 2], recoveries[^1]);
    }

    private static bool Recovered(LocalGateway gateway, DataNetClient subscriber, DataNetClient publisher) =>
        subscriber.State == ConnectionState.Connected && publisher.State == ConnectionState.Connected &&
        Channels.All(c => gateway.GetOccupancy(c) >= 1);

    private static Task<LocalGateway> StartAsync(int port) =>
        LocalGateway.StartAsync(new GatewayOptions { Port = port, RecordClientFrames = true, MinimumLogLevel = LogLevel.Error });

    private static int Collected(LocalGateway gateway) => gateway.ClientFrames.Count;

    private static void Collect(LocalGateway gateway, HashSet<string> arrived)
    {
        foreach (var frame in gateway.ClientFrames)
        {
            var text = Encoding.UTF8.GetString(frame.Bytes.Span);
            if (text.Contains("\"ch\":\"" + Stream + "\"", StringComparison.Ordinal))
            {
                arrived.Add(text);
            }
        }
    }
}

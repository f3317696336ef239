using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Benchmarks.Micro;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// Nobody polls: a DataNetClient with the default inbox (10,000, DropOldest) is subscribed while a raw socket floods
/// its channel as fast as the gateway takes it for N seconds (the gateway back-pressures, it never drops). Working set
/// and GC heap are sampled every 100 ms. Afterwards the counters must account for every message sent, and one Poll
/// drain must deliver exactly the newest <c>InboxCapacity</c> messages, in order.
/// </summary>
internal static class FloodPhase
{
    public const string Channel = "project.local.bench.flood";

    public sealed record Result(
        double Seconds, long Sent, long Received, long Dispatched, long Backlog, long DroppedInboxOverflow, int InboxCapacity,
        bool InvariantHolds, bool DropsExact, bool DrainedNewestInOrder,
        double WorkingSetBeforeMb, double WorkingSetAfterFirstSecondMb, double PeakWorkingSetMb, double WorkingSetEndMb,
        double HeapAfterFirstSecondMb, double PeakHeapMb);

    public static async Task<Result> RunAsync(LocalGateway gateway, E2eSettings settings)
    {
        var options = DataNetOptions.LocalGateway(gateway.Port) with { DeviceId = "bench-flood" };
        using var client = new DataNetClient(options);
        client.Subscribe(Channel);
        await client.ConnectAsync().ConfigureAwait(false);
        await ReceiveRatePhase.Until(() => client.GetOccupancy(Channel) >= 1, "sub_ack for the flood subscriber").ConfigureAwait(false);
        client.Poll(); // lifecycle events; from here on nobody polls until the end

        using var publisher = await RawSocket.ConnectAsync(gateway, "bench-flood-publisher").ConfigureAwait(false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        long peak = before, peakHeap = 0, afterFirstSecond = 0, heapAfterFirstSecond = 0;
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                var ws = process.WorkingSet64;
                var heap = GC.GetGCMemoryInfo().HeapSizeBytes;
                peak = Math.Max(peak, ws);
                peakHeap = Math.Max(peakHeap, heap);
                if (afterFirstSecond == 0 && watch.Elapsed >= TimeSpan.FromSeconds(1))
                {
                    afterFirstSecond = ws;
                    heapAfterFirstSecond = heap;
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        });

        long sent = 0;
        var prefix = "{\"op\":\"pub\",\"ch\":\"" + Channel + "\",\"d\":{\"seq\":";
        var suffix = "," + Payloads.Json60[1..] + "}";
        while (watch.Elapsed.TotalSeconds < settings.FloodSeconds)
        {
            await publisher.SendAsync(prefix + sent.ToString(CultureInfo.InvariantCulture) + suffix).ConfigureAwait(false);
            sent++;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        // Everything sent must arrive (the gateway back-pressures, never drops); then the counters must add up exactly.
        await ReceiveRatePhase.Until(() => client.Stats.Received >= sent, "every flood message to reach the inbox").ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        process.Refresh();
        var end = process.WorkingSet64;

        var stats = client.Stats;
        var invariant = stats.Received == stats.Dispatched + stats.InboxBacklog + stats.DroppedInboxOverflow;
        var dropsExact = stats.Received == sent && stats.InboxBacklog == options.InboxCapacity &&
                         stats.DroppedInboxOverflow == sent - options.InboxCapacity;

        // Drain: exactly the newest InboxCapacity messages, oldest first.
        var expected = sent - options.InboxCapacity;
        var inOrder = true;
        long delivered = 0;
        client.MessageReceived += m =>
        {
            var seq = long.Parse(m.DataJson.AsSpan(7, m.DataJson.IndexOf(',', StringComparison.Ordinal) - 7), CultureInfo.InvariantCulture);
            inOrder &= seq == expected++;
            delivered++;
        };
        while (client.Poll().Messages > 0)
        {
        }

        inOrder &= delivered == options.InboxCapacity;
        var after = client.Stats;
        const double Mb = 1024.0 * 1024.0;
        return new Result(seconds, sent, after.Received, after.Dispatched, stats.InboxBacklog, after.DroppedInboxOverflow, options.InboxCapacity,
            invariant, dropsExact, inOrder, before / Mb, afterFirstSecond / Mb, peak / Mb, end / Mb, heapAfterFirstSecond / Mb, peakHeap / Mb);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Benchmarks.Micro;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// One raw publisher socket sends N copies of the 55-byte JSON payload as fast as the gateway takes them; the
/// receiver is either a raw <c>ClientWebSocket</c> counting whole messages, or a DataNetClient (Subscribe with a C#
/// handler) with a thread calling Poll() + TakeRows() in a loop. Rate = N / (first send .. last receive or dispatch).
/// After a warm-up pair, each round runs both, alternating which goes first (raw first in odd rounds, SDK first in even
/// ones) so an ordering effect shows in the per-round ratios instead of hiding in a median; every round is printed and
/// reported, medians too. Bytes allocated by the whole process
/// (gateway and publisher included) are read per run: SDK minus raw, per message, is what the SDK path adds.
/// </summary>
internal static class ReceiveRatePhase
{
    public const string Channel = "project.local.bench.rate";

    public sealed record Round(int Number, bool RawFirst, double RawRate, double SdkRate)
    {
        public double Ratio => SdkRate / RawRate;
    }

    public sealed record Result(double RawRate, double SdkRate, double RawBytesPerMessage, double SdkBytesPerMessage, long SdkDropped, int Messages, IReadOnlyList<Round> Rounds)
    {
        public double MinRatio => Rounds.Min(r => r.Ratio);

        public double Ratio => SdkRate / RawRate;

        public double SdkExtraBytesPerMessage => SdkBytesPerMessage - RawBytesPerMessage;
    }

    public static async Task<Result> RunAsync(LocalGateway gateway, E2eSettings settings)
    {
        using var publisher = await RawSocket.ConnectAsync(gateway, "bench-rate-publisher").ConfigureAwait(false);
        var frame = RawSocket.PublishFrame(Channel, Payloads.Json60);
        var raw = new List<(double Rate, double Bytes)>();
        var sdk = new List<(double Rate, double Bytes, long Dropped)>();
        var rounds = new List<Round>();
        for (var round = 0; round <= settings.RateRounds; round++)
        {
            var n = round == 0 ? Math.Min(settings.RateMessages, 20_000) : settings.RateMessages;
            var rawFirst = round % 2 == 1;
            (double Rate, double Bytes) r;
            (double Rate, double Bytes, long Dropped) s;
            if (rawFirst)
            {
                r = await RawRunAsync(gateway, publisher, frame, n).ConfigureAwait(false);
                s = await SdkRunAsync(gateway, publisher, frame, n).ConfigureAwait(false);
            }
            else
            {
                s = await SdkRunAsync(gateway, publisher, frame, n).ConfigureAwait(false);
                r = await RawRunAsync(gateway, publisher, frame, n).ConfigureAwait(false);
            }

            if (round > 0)
            {
                raw.Add(r);
                sdk.Add(s);
                rounds.Add(new Round(round, rawFirst, r.Rate, s.Rate));
                Console.WriteLine($"  rate round {round} ({(rawFirst ? "raw first" : "SDK first")}): raw {r.Rate:N0} msg/s, SDK {s.Rate:N0} msg/s (ratio {s.Rate / r.Rate:F3})");
            }
        }

        return new Result(Median(raw.Select(x => x.Rate)), Median(sdk.Select(x => x.Rate)),
            Median(raw.Select(x => x.Bytes)), Median(sdk.Select(x => x.Bytes)), sdk.Sum(x => x.Dropped), settings.RateMessages, rounds);
    }

    private static async Task<(double Rate, double Bytes)> RawRunAsync(LocalGateway gateway, RawSocket publisher, byte[] frame, int n)
    {
        using var subscriber = await RawSocket.ConnectAsync(gateway, "bench-rate-raw").ConfigureAwait(false);
        await subscriber.SubscribeAsync(Channel).ConfigureAwait(false);
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var receiving = Task.Run(async () =>
        {
            for (var i = 0; i < n; i++)
            {
                await subscriber.ReceiveOneAsync().ConfigureAwait(false);
            }
        });
        await PublishAsync(publisher, frame, n).ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return (n / elapsed.TotalSeconds, (double)bytes / n);
    }

    private static async Task<(double Rate, double Bytes, long Dropped)> SdkRunAsync(LocalGateway gateway, RawSocket publisher, byte[] frame, int n)
    {
        // InboxCapacity = n: a Poll loop that falls behind shows as a lower rate, never as a hang on lost messages.
        using var client = new DataNetClient(DataNetOptions.LocalGateway(gateway.Port) with { DeviceId = "bench-rate-sdk", InboxCapacity = n });
        long handled = 0;
        client.Subscribe(Channel, _ => handled++);
        await client.ConnectAsync().ConfigureAwait(false);
        await Until(() => client.GetOccupancy(Channel) >= 1, "sub_ack for the SDK subscriber").ConfigureAwait(false);
        client.Poll();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var poller = new Thread(() =>
        {
            // The "main thread": Poll and take rows as fast as it can, yielding only when there is nothing to do.
            var deadline = Stopwatch.StartNew();
            while (Volatile.Read(ref handled) < n && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                var result = client.Poll();
                client.TakeRows(1000);
                if (result.Messages == 0)
                {
                    Thread.Yield();
                }
            }

            done.SetResult(watch.Elapsed);
        }) { Name = "bench-poll", IsBackground = true };
        poller.Start();
        await PublishAsync(publisher, frame, n).ConfigureAwait(false);
        var elapsed = await done.Task.ConfigureAwait(false);
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        if (handled < n)
        {
            throw new InvalidOperationException($"SDK run: only {handled} of {n} messages dispatched within 2 minutes.");
        }

        return (n / elapsed.TotalSeconds, (double)bytes / n, client.Stats.Dropped);
    }

    private static async Task PublishAsync(RawSocket publisher, byte[] frame, int n)
    {
        for (var i = 0; i < n; i++)
        {
            await publisher.SendAsync(frame).ConfigureAwait(false);
        }
    }

    internal static async Task Until(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}

using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// Publish to dispatch: a DataNetClient publishes <c>{"seq":i}</c> about once per millisecond; another DataNetClient's C#
/// handler, run by a thread that calls Poll() continuously, records the Stopwatch time since that Publish call (one
/// process, one clock). The first 10 % are warm-up. The same pacing over two raw sockets gives the floor the
/// gateway and loopback set.
/// </summary>
internal static class LatencyPhase
{
    public const string Channel = "project.local.bench.latency";
    public const string RawChannel = "project.local.bench.latency-raw";

    public sealed record Result(Percentiles Sdk, Percentiles Raw, int Samples);

    public readonly record struct Percentiles(double P50, double P99, double Max);

    public static async Task<Result> RunAsync(LocalGateway gateway, E2eSettings settings)
    {
        var raw = await RawAsync(gateway, settings.LatencySamples).ConfigureAwait(false);
        var sdk = await SdkAsync(gateway, settings.LatencySamples).ConfigureAwait(false);
        return new Result(sdk, raw, settings.LatencySamples);
    }

    private static async Task<Percentiles> SdkAsync(LocalGateway gateway, int samples)
    {
        var sent = new long[samples];
        var latency = new double[samples];
        var received = 0;
        using var subscriber = new DataNetClient(DataNetOptions.LocalGateway(gateway.Port) with { DeviceId = "bench-latency-sub" });
        using var publisher = new DataNetClient(DataNetOptions.LocalGateway(gateway.Port) with { DeviceId = "bench-latency-pub" });
        subscriber.Subscribe(Channel, m =>
        {
            var now = Stopwatch.GetTimestamp();
            var seq = ParseSeq(m.DataJson);
            latency[seq] = Stopwatch.GetElapsedTime(sent[seq], now).TotalMilliseconds;
            received++;
        });
        await Task.WhenAll(subscriber.ConnectAsync(), publisher.ConnectAsync()).ConfigureAwait(false);
        await ReceiveRatePhase.Until(() => subscriber.GetOccupancy(Channel) >= 1, "sub_ack for the latency subscriber").ConfigureAwait(false);
        subscriber.Poll();

        using var stop = new CancellationTokenSource();
        var poller = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (subscriber.Poll().Messages == 0)
                {
                    Thread.Yield();
                }
            }
        }) { Name = "bench-latency-poll", IsBackground = true };
        poller.Start();
        for (var i = 0; i < samples; i++)
        {
            sent[i] = Stopwatch.GetTimestamp();
            publisher.Publish(Channel, "{\"seq\":" + i.ToString(CultureInfo.InvariantCulture) + "}");
            PaceOneMillisecond(sent[i]);
        }

        await ReceiveRatePhase.Until(() => Volatile.Read(ref received) >= samples, "every latency sample").ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        poller.Join();
        return Summarize(latency);
    }

    private static async Task<Percentiles> RawAsync(LocalGateway gateway, int samples)
    {
        var sent = new long[samples];
        var latency = new double[samples];
        using var subscriber = await RawSocket.ConnectAsync(gateway, "bench-latency-raw-sub").ConfigureAwait(false);
        using var publisher = await RawSocket.ConnectAsync(gateway, "bench-latency-raw-pub").ConfigureAwait(false);
        await subscriber.SubscribeAsync(RawChannel).ConfigureAwait(false);
        var receiving = Task.Run(async () =>
        {
            for (var i = 0; i < samples; i++)
            {
                await subscriber.ReceiveOneAsync().ConfigureAwait(false);
                var now = Stopwatch.GetTimestamp();
                var seq = ParseSeq(System.Text.Encoding.UTF8.GetString(subscriber.LastBytes));
                latency[seq] = Stopwatch.GetElapsedTime(sent[seq], now).TotalMilliseconds;
            }
        });
        for (var i = 0; i < samples; i++)
        {
            var frame = RawSocket.PublishFrame(RawChannel, "{\"seq\":" + i.ToString(CultureInfo.InvariantCulture) + "}");
            sent[i] = Stopwatch.GetTimestamp();
            await publisher.SendAsync(frame).ConfigureAwait(false);
            PaceOneMillisecond(sent[i]);
        }

        await receiving.ConfigureAwait(false);
        return Summarize(latency);
    }

    /// <summary>
    /// Pacing, not waiting for a result: the next publish goes at least 1 ms after this one. Sleeps (about 1.1 ms on
    /// Linux) rather than spins, so the pacer does not take a core from the gateway and the poller.
    /// </summary>
    private static void PaceOneMillisecond(long since)
    {
        while (Stopwatch.GetElapsedTime(since).TotalMilliseconds < 1.0)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>The number after <c>"seq":</c> (payloads are ours).</summary>
    private static int ParseSeq(string text)
    {
        var at = text.IndexOf("\"seq\":", StringComparison.Ordinal) + 6;
        var value = 0;
        while (at < text.Length && char.IsAsciiDigit(text[at]))
        {
            value = (value * 10) + (text[at++] - '0');
        }

        return value;
    }

    private static Percentiles Summarize(double[] latency)
    {
        var measured = latency.Skip(latency.Length / 10).OrderBy(v => v).ToArray();
        return new Percentiles(At(measured, 0.50), At(measured, 0.99), measured[^1]);
    }

    internal static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

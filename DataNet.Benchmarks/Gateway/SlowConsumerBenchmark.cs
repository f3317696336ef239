using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Benchmarks.EndToEnd;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.Gateway;

/// <summary>
/// <c>slow-consumer [--seconds N] [--flood N]</c>: control-pair latency on a channel while one subscriber never reads.
/// Per phase, on a fresh in-process gateway: a flood publisher sends 1 KB messages at a paced rate, a control
/// publisher sends <c>{"seq":i}</c> once per millisecond to the same channel, and a control subscriber reads
/// everything and times each control message from its send (one process, one clock). Phases: no stalled
/// subscriber (baseline); one stalled subscriber with the drop-only policy (never closed, so it stays stalled the
/// whole phase); one stalled subscriber with the default policy (closed after its drop limit).
/// </summary>
internal static class SlowConsumerBenchmark
{
    private const int ControlPerSecond = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = 10;
        var floodPerSecond = 5000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length:
                    seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--flood" when i + 1 < args.Length:
                    floodPerSecond = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine("usage: slow-consumer [--seconds N (default 10)] [--flood MSG_PER_S (default 5000)]");
                    return 2;
            }
        }
        Console.WriteLine($"slow-consumer: {Machine.Describe()}; load {Machine.Load()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per phase: {seconds} s, flood {floodPerSecond:N0} msg/s of 1 KB, control {ControlPerSecond} msg/s, all on one channel; first 10 % of control samples are warm-up"));
        var defaults = new GatewayOptions();
        var phases = new (string Name, bool Stalled, GatewayOptions Options)[]
        {
            ("baseline: no stalled subscriber", false, defaults),
            ("one subscriber never reads, drop only (never closed)", true, defaults with { SlowConsumerCloseAfterDrops = 0 }),
            ($"one subscriber never reads, default policy (closed after {defaults.SlowConsumerCloseAfterDrops:N0} drops)", true, defaults),
        };
        Console.WriteLine();
        Console.WriteLine("| phase | control p50 ms | p99 ms | max ms | control lost | dropped for the stalled one | notices | closes | p99 ms while dropping |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (name, stalled, options) in phases)
        {
            var result = await RunPhaseAsync(options, stalled, TimeSpan.FromSeconds(seconds), floodPerSecond).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {result.P50:F2} | {result.P99:F2} | {result.Max:F1} | {result.Lost} | {result.Stats.SlowConsumerDrops:N0} | {result.Stats.SlowConsumerNotices} | {result.Stats.SlowConsumerCloses} | {(result.P99WhileDropping is { } p ? p.ToString("F2", CultureInfo.InvariantCulture) : "n/a")} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"load at the end {Machine.Load()}");
        return 0;
    }

    private sealed record PhaseResult(double P50, double P99, double Max, int Lost, GatewayStats Stats, double? P99WhileDropping);

    private static async Task<PhaseResult> RunPhaseAsync(GatewayOptions options, bool withStalled, TimeSpan duration, int floodPerSecond)
    {
        const string Channel = "project.local.bench.slow";
        var gateway = await LocalGateway.StartAsync(options with { Port = 0, MinimumLogLevel = LogLevel.Warning }).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            using var stalled = withStalled ? await RawSocket.ConnectAsync(gateway, "bench-stalled").ConfigureAwait(false) : null;
            if (stalled is not null)
            {
                await stalled.SubscribeAsync(Channel).ConfigureAwait(false);
            }
            using var subscriber = await RawSocket.ConnectAsync(gateway, "bench-control-sub").ConfigureAwait(false);
            await subscriber.SubscribeAsync(Channel).ConfigureAwait(false);
            using var publisher = await RawSocket.ConnectAsync(gateway, "bench-control-pub").ConfigureAwait(false);
            using var flooder = await RawSocket.ConnectAsync(gateway, "bench-flood").ConfigureAwait(false);

            var samples = (int)(duration.TotalSeconds * ControlPerSecond);
            var sent = new long[samples];
            var latency = new double[samples];
            Array.Fill(latency, double.NaN);
            var firstDropSeq = -1;
            var received = 0;
            using var stop = new CancellationTokenSource();

            var receiving = Task.Run(async () =>
            {
                while (Volatile.Read(ref received) < samples && !stop.IsCancellationRequested)
                {
                    await subscriber.ReceiveOneAsync().ConfigureAwait(false);
                    var now = Stopwatch.GetTimestamp();
                    if (ParseSeq(subscriber.LastBytes) is { } seq)
                    {
                        latency[seq] = Stopwatch.GetElapsedTime(Volatile.Read(ref sent[seq]), now).TotalMilliseconds;
                        Interlocked.Increment(ref received);
                    }
                }
            });
            var flooding = Task.Run(() => FloodAsync(flooder, Channel, floodPerSecond, stop.Token));
            for (var i = 0; i < samples; i++)
            {
                var frame = RawSocket.PublishFrame(Channel, "{\"seq\":" + i.ToString(CultureInfo.InvariantCulture) + "}");
                var at = Stopwatch.GetTimestamp();
                Volatile.Write(ref sent[i], at);
                await publisher.SendAsync(frame).ConfigureAwait(false);
                if (firstDropSeq < 0 && gateway.Stats.SlowConsumerDrops > 0)
                {
                    firstDropSeq = i;
                }
                while (Stopwatch.GetElapsedTime(at).TotalMilliseconds < 1.0)
                {
                    Thread.Sleep(1);
                }
            }
            await stop.CancelAsync().ConfigureAwait(false);
            await flooding.ConfigureAwait(false);
            // Whatever has not arrived 10 s after the last send is lost.
            await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
            var stats = gateway.Stats;

            var measured = latency.Skip(samples / 10).Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
            var whileDropping = firstDropSeq < 0 ? null
                : latency.Skip(Math.Max(firstDropSeq, samples / 10)).Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
            return new PhaseResult(
                LatencyPhase.At(measured, 0.50), LatencyPhase.At(measured, 0.99), measured[^1],
                samples - Volatile.Read(ref received), stats,
                whileDropping is { Length: > 0 } ? LatencyPhase.At(whileDropping, 0.99) : null);
        }
    }

    /// <summary>Sends <paramref name="perSecond"/> 1 KB messages a second, in bursts once per millisecond, until stopped.</summary>
    private static async Task FloodAsync(RawSocket flooder, string channel, int perSecond, CancellationToken stop)
    {
        var frame = RawSocket.PublishFrame(channel, "{\"flood\":\"" + new string('x', 1000) + "\"}");
        var started = Stopwatch.GetTimestamp();
        long sentCount = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
            while (sentCount < due)
            {
                await flooder.SendAsync(frame).ConfigureAwait(false);
                sentCount++;
            }
            await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The number after <c>"seq":</c>, or null for a flood message (payloads are ours).</summary>
    private static int? ParseSeq(ReadOnlySpan<byte> frame)
    {
        var at = frame.IndexOf("\"seq\":"u8);
        if (at < 0)
        {
            return null;
        }
        at += 6;
        var value = 0;
        while (at < frame.Length && frame[at] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (frame[at++] - '0');
        }
        return value;
    }
}

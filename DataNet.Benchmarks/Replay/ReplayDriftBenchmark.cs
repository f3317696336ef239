using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Benchmarks.EndToEnd;
using DataNet.Cli.Connection;
using DataNet.Cli.Options;
using DataNet.Cli.Recording;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.Replay;

/// <summary>
/// How closely <c>datanet replay</c> keeps a recording's timing. A synthetic 10-minute recording (four channels at
/// 30 Hz each with a few milliseconds of jitter, one of them 512-byte DMX frames: 72,000 messages) is written with the
/// recorder's own writer, read back with its reader, and replayed by the replayer through an in-process gateway for
/// <c>--seconds</c> of real time at <c>--speed</c>. Lateness is measured against each message's absolute deadline twice:
/// when the replayer hands it to the client, and when a raw WebSocket subscriber receives it. Printed: mean, p50, p99
/// and max, per 10-second window, and the trend (least squares, ms per minute) that says whether lateness builds up.
/// </summary>
internal static class ReplayDriftBenchmark
{
    private const int Channels = 4;
    private const double RateHz = 30;
    private static readonly TimeSpan RecordingLength = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 60);
        var speed = Option(args, "--speed", 1);
        var file = Path.Combine(Path.GetTempPath(), $"datanet-replay-bench-{Guid.NewGuid():N}.jsonl");
        try
        {
            WriteSyntheticRecording(file);
            RecordingContent recording;
            using (var reader = new StreamReader(file))
            {
                recording = await RecordingReader.ReadAsync(reader, strict: true, CancellationToken.None).ConfigureAwait(false);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: {recording.Messages.Count:N0} messages over {RecordingLength.TotalMinutes:0} min ({new FileInfo(file).Length / (1024.0 * 1024):0.0} MB); replaying {seconds:0} s real time at speed {speed:0.##} ({Math.Min(seconds * speed, RecordingLength.TotalSeconds):0} s of the recording); {Machine.Describe()}"));
            return await ReplayAsync(recording, seconds, speed).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<int> ReplayAsync(RecordingContent recording, double seconds, double speed)
    {
        var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, MinimumLogLevel = LogLevel.Warning }).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            using var subscriber = await RawSocket.ConnectAsync(gateway, "bench-replay-subscriber").ConfigureAwait(false);
            for (var channel = 0; channel < Channels; channel++)
            {
                await subscriber.SubscribeAsync(ChannelName(channel)).ConfigureAwait(false);
            }

            var arrivals = new List<long>(capacity: 100_000);
            using var stopReading = new CancellationTokenSource();
            var reading = Task.Run(async () =>
            {
                while (!stopReading.IsCancellationRequested)
                {
                    await subscriber.ReceiveOneAsync().ConfigureAwait(false);
                    var at = Stopwatch.GetTimestamp();
                    if (subscriber.LastBytes.IndexOf("\"type\":\"message\""u8) >= 0)
                    {
                        lock (arrivals)
                        {
                            arrivals.Add(at);
                        }
                    }
                }
            });

            var settings = new ConnectionSettings
            {
                ApiKey = ConnectionSettings.LocalDevKey,
                UsesLocalDevKey = true,
                ApiUrl = gateway.ApiUrl.ToString().TrimEnd('/'),
                WsUrl = gateway.WsUrl.ToString().TrimEnd('/'),
                DeviceId = "bench-replayer",
            };
            using var session = new ClientSession(settings, rateLimitEnds: false);
            await session.ConnectAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            var schedule = new ReplaySchedule(recording.Messages.Select(m => m.OffsetMs).ToArray(), ReplayTiming.Original with { Speed = speed });
            var dues = new List<TimeSpan>(capacity: 100_000);
            var publishLateness = new List<double>(capacity: 100_000);
            var replayStart = long.MaxValue;
            var replayer = new Replayer(session, recording, schedule, ChannelMap.Identity, TimeSpan.FromSeconds(10))
            {
                Published = (turn, lateness) =>
                {
                    // The replayer's clock read Due + lateness just before the send: its origin is at most that long
                    // before now. The tightest bound over all sends is the origin (the first send alone includes JIT time).
                    replayStart = Math.Min(replayStart, Stopwatch.GetTimestamp() - (long)((turn.Due + lateness).TotalSeconds * Stopwatch.Frequency));

                    dues.Add(turn.Due);
                    publishLateness.Add(lateness.TotalMilliseconds);
                },
            };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var result = await replayer.RunAsync(stop.Token).ConfigureAwait(false);

            var deadline = Stopwatch.StartNew();
            while (Count(arrivals) < result.Published && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(10).ConfigureAwait(false);
            }

            await stopReading.CancelAsync().ConfigureAwait(false);
            subscriber.Socket.Abort();
            await reading.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);

            long[] arrived;
            lock (arrivals)
            {
                arrived = [.. arrivals];
            }

            var arrivalLateness = arrived.Take(dues.Count)
                .Select((at, i) => (at - replayStart) * 1000.0 / Stopwatch.Frequency - dues[i].TotalMilliseconds)
                .ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"published {result.Published:N0}, received by the subscriber {arrived.Length:N0}, refused {result.RefusedByGateway}, rate-limit pauses {result.RateLimitPauses}"));
            Report("handed to the client", publishLateness, dues, speed);
            Report("received by a subscriber", arrivalLateness, dues, speed);
            return arrived.Length == result.Published ? 0 : 1;
        }
    }

    private static void Report(string what, IReadOnlyList<double> latenessMs, List<TimeSpan> dues, double speed)
    {
        if (latenessMs.Count == 0)
        {
            Console.WriteLine($"{what}: no messages");
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lateness vs schedule, {what}: {Stats(latenessMs)}"));
        var windows = latenessMs.Select((late, i) => (Window: (int)(dues[i].Ticks / Window.Ticks), late))
            .GroupBy(x => x.Window)
            .OrderBy(g => g.Key)
            .ToArray();
        foreach (var window in windows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {window.Key * Window.TotalSeconds,4:0}-{(window.Key + 1) * Window.TotalSeconds,4:0} s: {Stats(window.Select(x => x.late).ToArray())}"));
        }

        // Least squares of lateness on schedule time: a slope near 0 means nothing accumulates, so the figures hold for a
        // longer replay; the extrapolation to the recording's whole length (at this speed) is the slope times that time.
        var x = dues.Take(latenessMs.Count).Select(d => d.TotalMinutes).ToArray();
        var meanX = x.Average();
        var meanY = latenessMs.Average();
        var slope = x.Zip(latenessMs, (xi, yi) => (xi - meanX) * (yi - meanY)).Sum() / Math.Max(1e-12, x.Sum(xi => (xi - meanX) * (xi - meanX)));
        var wholeMinutes = RecordingLength.TotalMinutes / speed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  trend {slope:+0.000;-0.000} ms per minute: over the whole {wholeMinutes:0.#} min replay that is {slope * wholeMinutes:+0.00;-0.00} ms"));
    }

    private static string Stats(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture,
            $"n {sorted.Length,6:N0}  mean {values.Average(),6:0.00} ms  p50 {At(0.5),6:0.00}  p99 {At(0.99),6:0.00}  max {sorted[^1],7:0.00}");
    }

    private static int Count(List<long> arrivals)
    {
        lock (arrivals)
        {
            return arrivals.Count;
        }
    }

    /// <summary>Four channels at 30 Hz, phase-shifted, each message up to 2 ms early or late (seeded: the same file every run).</summary>
    private static void WriteSyntheticRecording(string file)
    {
        var random = new Random(17);
        var perChannel = (int)(RecordingLength.TotalSeconds * RateHz);
        var frame = new byte[512];
        var messages = new List<RecordedMessage>(Channels * perChannel);
        for (var channel = 0; channel < Channels; channel++)
        {
            for (var i = 0; i < perChannel; i++)
            {
                var offset = (i + channel / (double)Channels) * 1000 / RateHz + (random.NextDouble() * 4 - 2);
                var seconds = offset / 1000;
                var message = channel == Channels - 1
                    ? new RecordedMessage(Math.Max(0, offset), ChannelName(channel), "bench-sensor", null, null, Fill(frame, i), "binary/dmx", null)
                    : new RecordedMessage(Math.Max(0, offset), ChannelName(channel), "bench-sensor", null,
                        string.Create(CultureInfo.InvariantCulture, $"{{\"v\":{Math.Sin(seconds * (channel + 1)):0.#####},\"i\":{i}}}"), null, null, null);
                messages.Add(message);
            }
        }

        using var stream = File.Create(file);
        var writer = new RecordingWriter(stream);
        writer.WriteHeader(new RecordingHeader(RecordingHeader.CurrentVersion, DateTimeOffset.UtcNow, [.. Enumerable.Range(0, Channels).Select(ChannelName)], "ws://127.0.0.1:8080"));
        foreach (var message in messages.OrderBy(m => m.OffsetMs))
        {
            writer.Write(message);
        }

        writer.Flush();
    }

    private static byte[] Fill(byte[] frame, int i)
    {
        for (var c = 0; c < frame.Length; c++)
        {
            frame[c] = (byte)(i + c);
        }

        return (byte[])frame.Clone();
    }

    private static string ChannelName(int channel) => "bench.replay." + channel.ToString(CultureInfo.InvariantCulture);

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

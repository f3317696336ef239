using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using DataNet.Td;
using DataNet.Td.Protocol;

namespace DataNet.Benchmarks.Micro;

/// <summary>
/// <c>frame-parts</c>: where the .NET side of a TD frame goes, part by part, timed with <see cref="Stopwatch"/> on a
/// real (never connected) client fed the e2e stream's 55-byte readings through the socket thread's entry point
/// (<c>OnServerFrame</c>): 167 messages a frame (10,000 msg/s at 60 fps) and 17 (1,000 msg/s). Each part runs back to
/// back (warm) and as the first .NET work after a 16 ms sleep (how a frame hook calls it: caches gone cold), in
/// the order PollFrame does them. The crossing from Python is not in these figures (see <c>e2e --td</c>).
/// </summary>
internal static class FrameParts
{
    private const int Frames = 300;
    private const int MaxRows = 100;

    public static int Run(string[] args)
    {
        var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Frames;
        Console.WriteLine(FormattableString.Invariant($"frame-parts: {frames} frames per case, load average {EndToEnd.Machine.Load()}"));
        Console.WriteLine();
        Console.WriteLine("| messages a frame | when | Poll (dispatch, rows added) | Stats snapshot | newest 100 rows (cells) | values into the buffer | whole PollFrame (record string) | record as UTF-8 |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var perFrame in new[] { 167, 17 })
        {
            foreach (var pause in new[] { false, true })
            {
                Measure(perFrame, pause, frames);
            }
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"p50 in µs; load average at the end {EndToEnd.Machine.Load()}"));
        return 0;
    }

    private static void Measure(int perFrame, bool pause, int frames)
    {
        using var client = new DataNetClient(DataNetOptions.LocalGateway(1) with { DeviceId = "bench-frame-parts" });
        client.Subscribe(Payloads.Channel);
        var envelope = Payloads.ServerEnvelopeUtf8(Payload.Json60);
        var buffer = Marshal.AllocHGlobal(sizeof(double) * 16);
        var parts = new List<long>[6];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = new List<long>(frames);
        }

        try
        {
            long layout = -1;
            for (var f = 0; f < frames + 20; f++)
            {
                var record = f % 2 == 0;   // even frames: PollFrame whole; odd frames: its parts one by one
                Feed(client, envelope, perFrame);
                if (pause)
                {
                    Thread.Sleep(16);
                }

                var t0 = Stopwatch.GetTimestamp();
                if (record)
                {
                    var text = client.PollFrame(MaxRows, null, true, buffer.ToInt64(), 16, layout);
                    var t1 = Stopwatch.GetTimestamp();
                    _ = System.Text.Encoding.UTF8.GetByteCount(text) + System.Text.Encoding.UTF8.GetBytes(text).Length;
                    var t2 = Stopwatch.GetTimestamp();
                    layout = client.LastValues.LayoutVersion;
                    if (f >= 20)
                    {
                        parts[4].Add(t1 - t0);
                        parts[5].Add(t2 - t1);
                    }

                    continue;
                }

                client.Poll();
                var a = Stopwatch.GetTimestamp();
                _ = client.Stats;
                var b = Stopwatch.GetTimestamp();
                var rows = client.TakeNewestRows(MaxRows);
                var c = Stopwatch.GetTimestamp();
                client.LastValues.CopyValuesTo(null, buffer, 16, layout);
                var d = Stopwatch.GetTimestamp();
                GC.KeepAlive(rows);
                if (f >= 20)
                {
                    parts[0].Add(a - t0);
                    parts[1].Add(b - a);
                    parts[2].Add(c - b);
                    parts[3].Add(d - c);
                }
            }
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }

        string P50(List<long> ticks) => ticks.Count == 0
            ? "-"
            : (ticks.OrderBy(t => t).ElementAt(ticks.Count / 2) * 1e6 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine(FormattableString.Invariant(
            $"| {perFrame} | {(pause ? "after 16 ms asleep" : "back to back")} | {P50(parts[0])} | {P50(parts[1])} | {P50(parts[2])} | {P50(parts[3])} | {P50(parts[4])} | {P50(parts[5])} |"));
    }

    private static void Feed(DataNetClient client, byte[] envelope, int count)
    {
        for (var i = 0; i < count; i++)
        {
            client.OnServerFrame(ServerFrameReader.ReadText(envelope, Payloads.Timestamp));
        }
    }
}

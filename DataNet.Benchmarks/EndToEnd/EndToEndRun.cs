using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// Every end-to-end figure in one process and one run, on one in-process local gateway over loopback; prints each
/// phase as it ends, then the figures table (Markdown, as docs/benchmarks.md shows it) with each target's hit or miss.
/// </summary>
internal static class EndToEndRun
{
    public static async Task<int> RunAsync(E2eSettings settings)
    {
        var started = DateTime.UtcNow;
        var loadBefore = Machine.Load();
        Console.WriteLine($"DataNet e2e{(settings.Quick ? " --quick" : "")}: {started:yyyy-MM-dd HH:mm} UTC, {Machine.Describe()}, load {loadBefore}");
        // The receive-rate run floods one subscriber with RateMessages at once: an outbox that holds them all and no
        // slow-consumer close, so the run measures the receivers, not the gateway's slow-consumer policy.
        var gateway = await LocalGateway.StartAsync(new GatewayOptions
        {
            Port = 0,
            MinimumLogLevel = LogLevel.Warning,
            OutboxMessages = settings.RateMessages + 1024,
            SlowConsumerCloseAfterDrops = 0,
        }).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            if (settings.TdOnly)
            {
                Console.WriteLine(TdTitle(settings, "[1/1]"));
                var tdOnly = await TdFramePhase.RunAsync(gateway, settings).ConfigureAwait(false);
                var loadEnd = Machine.Load();
                Console.WriteLine();
                Heading(settings, started, loadBefore, loadEnd, tdOnly);
                PrintTd(settings, tdOnly);
                Console.WriteLine();
                PrintTdTotals(tdOnly);
                return 0;
            }

            Console.WriteLine($"[1/5] receive rate: {settings.RateMessages:N0} x 55 B JSON per run, raw ClientWebSocket vs DataNetClient + Poll loop");
            var rate = await ReceiveRatePhase.RunAsync(gateway, settings).ConfigureAwait(false);
            Console.WriteLine($"[2/5] publish -> dispatch latency: {settings.LatencySamples:N0} samples, 1 per ms");
            var latency = await LatencyPhase.RunAsync(gateway, settings).ConfigureAwait(false);
            Console.WriteLine(TdTitle(settings, "[3/5]"));
            var td = await TdFramePhase.RunAsync(gateway, settings).ConfigureAwait(false);
            Console.WriteLine($"[4/5] flood: {settings.FloodSeconds:0.#} s as fast as the gateway takes it, nobody polling");
            var flood = await FloodPhase.RunAsync(gateway, settings).ConfigureAwait(false);
            Console.WriteLine($"[5/5] the client in its own process: CPU idle, at 1,000 and 10,000 msg/s ({settings.ProcessSeconds:0.#} s each) and in a flood; bytes and objects per message (load {Machine.Load()})");
            var process = await ClientProcessPhase.RunAsync(gateway, settings).ConfigureAwait(false);
            var loadAfter = Machine.Load();
            Console.WriteLine();
            Print(settings, started, loadBefore, loadAfter, rate, latency, td, flood);
            PrintProcess(process);
        }

        return 0;
    }

    private static string TdTitle(E2eSettings settings, string step) => Inv(
        $"{step} TD main thread: {settings.FrameSeconds:0.#} s at {settings.FrameRate} fps per phase, the SDK and the build guide's pure-Python design, 10,000 then 1,000 msg/s (Python child), then Script CHOP refresh of 1,000 fields");

    private static void Heading(E2eSettings settings, DateTime started, string loadBefore, string loadAfter, TdFramePhase.Result td)
    {
        var w = Console.Out;
        w.WriteLine(Inv($"## e2e figures ({started:yyyy-MM-dd HH:mm} UTC{(settings.Quick ? ", --quick" : "")}{(settings.TdOnly ? ", --td" : "")})"));
        w.WriteLine();
        w.WriteLine(Inv($"Machine: {Machine.Describe()}; Python {td.Figures.GetProperty("python").GetString()}, pythonnet {td.Figures.GetProperty("pythonnet")}, NumPy {(td.Figures.GetProperty("numpy").GetBoolean() ? "yes" : "no")}; load average before {loadBefore}, after {loadAfter}."));
        w.WriteLine();
        w.WriteLine("| figure | value | target | result |");
        w.WriteLine("| --- | --- | --- | --- |");
    }

    private static void Print(E2eSettings settings, DateTime started, string loadBefore, string loadAfter, ReceiveRatePhase.Result rate,
        LatencyPhase.Result latency, TdFramePhase.Result td, FloodPhase.Result flood)
    {
        var w = Console.Out;
        Heading(settings, started, loadBefore, loadAfter, td);
        Row(w, "raw ClientWebSocket receive rate", Inv($"{rate.RawRate:N0} msg/s"), "", "");
        Row(w, "SDK receive + Poll rate (same stream)", Inv($"{rate.SdkRate:N0} msg/s"), "", "");
        Row(w, "SDK / raw, median", Inv($"{rate.Ratio:F3}"), ">= 0.9", Hit(rate.Ratio >= 0.9));
        Row(w, "SDK / raw per round (which ran first)", string.Join(", ", rate.Rounds.Select(r => Inv($"{r.Ratio:F3} ({(r.RawFirst ? "raw" : "SDK")})"))),
            ">= 0.9 every round", Hit(rate.MinRatio >= 0.9));
        Row(w, "bytes allocated per message, whole process (raw run / SDK run)", Inv($"{rate.RawBytesPerMessage:N0} / {rate.SdkBytesPerMessage:N0} B"), "", "");
        Row(w, "bytes the SDK path adds per 55 B message", Inv($"{rate.SdkExtraBytesPerMessage:N0} B"), "", "see micro ReceivePath");
        Row(w, "publish -> dispatch latency p50 / p99 / max (SDK to SDK)",
            Inv($"{latency.Sdk.P50:F3} / {latency.Sdk.P99:F3} / {latency.Sdk.Max:F3} ms"), "p99 <= 1 ms", Hit(latency.Sdk.P99 <= 1.0));
        Row(w, "same, raw socket to raw socket (the floor)", Inv($"{latency.Raw.P50:F3} / {latency.Raw.P99:F3} / {latency.Raw.Max:F3} ms"), "", "");
        PrintTd(settings, td);
        Row(w, Inv($"flood {flood.Seconds:F1} s, nobody polling: sent / received"), Inv($"{flood.Sent:N0} / {flood.Received:N0}"), "", "");
        Row(w, "  inbox cap / backlog / DroppedInboxOverflow (= sent - cap?)",
            Inv($"{flood.InboxCapacity:N0} / {flood.Backlog:N0} / {flood.DroppedInboxOverflow:N0}"), "exact", Hit(flood.DropsExact && flood.InvariantHolds && flood.DrainedNewestInOrder));
        Row(w, "  working set before / after 1 s / peak / end",
            Inv($"{flood.WorkingSetBeforeMb:F0} / {flood.WorkingSetAfterFirstSecondMb:F0} / {flood.PeakWorkingSetMb:F0} / {flood.WorkingSetEndMb:F0} MB"), "flat", Hit(flood.PeakWorkingSetMb - flood.WorkingSetAfterFirstSecondMb <= 64));
        Row(w, "  GC heap after 1 s / peak", Inv($"{flood.HeapAfterFirstSecondMb:F0} / {flood.PeakHeapMb:F0} MB"), "", "");
        w.WriteLine();
        w.WriteLine(Inv($"Drain after the flood delivered the newest {flood.InboxCapacity:N0} in order: {flood.DrainedNewestInOrder}; Received == Dispatched + Backlog + Dropped: {flood.InvariantHolds}."));
        PrintTdTotals(td);
    }

    /// <summary>Per rate: the SDK's part of the frame (dn.Frame: its one call into .NET) against the build guide's poll().</summary>
    private static void PrintTd(E2eSettings settings, TdFramePhase.Result td)
    {
        var w = Console.Out;
        var phases = td.Figures.GetProperty("phases");
        for (var i = 0; i < TdFramePhase.Phases.Length; i++)
        {
            var p = phases[i];
            var rate = p.GetProperty("rate").GetInt32();
            var design = p.GetProperty("design").GetString();
            if (design is "sdk" or "sdk-pythonnet")
            {
                var part = p.GetProperty("sdk_part_us");
                var target = rate >= 10_000 ? 200.0 : 50.0;
                var through = design == "sdk" ? "one call into .NET through ctypes" : "the same call through pythonnet, as before";
                Row(w, Inv($"{rate:N0} msg/s, {settings.FrameRate} fps: the SDK's part of the frame (dn.Frame, {through}) mean / p50 / p99"),
                    Inv($"{Us(part, "mean")} / {Us(part, "p50")} / {Us(part, "p99")} ms"), design == "sdk" ? Inv($"<= {target / 1000.0:0.###} ms") : "",
                    design == "sdk" ? Hit(part.GetProperty("mean").GetDouble() <= target) + " (mean)" : "");
                Row(w, "  of which the call into .NET (crossing, .NET work, the record back) / Python reading the record, mean / p50",
                    Inv($"{Us(p.GetProperty("sdk_call_us"), "mean")} / {Us(p.GetProperty("sdk_call_us"), "p50")} ms, {Us(p.GetProperty("sdk_read_us"), "mean")} / {Us(p.GetProperty("sdk_read_us"), "p50")} ms"), "", "");
                Row(w, "  table sink (fake Table DAT) / Script CHOP cook (fake CHOP), mean / p50",
                    Inv($"{Us(p.GetProperty("sink_us"), "mean")} / {Us(p.GetProperty("sink_us"), "p50")} ms, {Us(p.GetProperty("cook_us"), "mean")} / {Us(p.GetProperty("cook_us"), "p50")} ms"), "", "");
                Row(w, "  whole onFrameStart (fake Table DAT and Script CHOP included) mean / p99",
                    Inv($"{Us(p.GetProperty("hook_us"), "mean")} / {Us(p.GetProperty("hook_us"), "p99")} ms"), "", "");
                Row(w, "  messages per frame / dropped from the inbox / backlog at the end",
                    Inv($"{p.GetProperty("messages_per_frame").GetDouble():F0} / {p.GetProperty("dropped_inbox").GetInt64()} / {p.GetProperty("backlog_end").GetInt64()}"), "", "");
            }
            else
            {
                var part = p.GetProperty("guide_part_us");
                Row(w, Inv($"{rate:N0} msg/s: the build guide's pure-Python poll(), same stream, mean / p50 / p99"),
                    Inv($"{Us(part, "mean")} / {Us(part, "p50")} / {Us(part, "p99")} ms"), "", "");
                Row(w, "  messages per frame (it stops at 50) / left queued at the end",
                    Inv($"{p.GetProperty("messages_per_frame").GetDouble():F0} / {p.GetProperty("backlog_end").GetInt64():N0}"), "", "");
            }
        }

        var cost = td.Figures.GetProperty("call_cost");
        foreach (var (key, label) in new[]
        {
            ("frame", "dn.Frame(100, values) with nothing queued (ctypes; answered 'unchanged')"),
            ("frame_in_full", "  the same, the record sent and read in full"),
            ("pollframe_pythonnet", "  PollFrame's record through pythonnet, nothing queued"),
            ("poll", "  a bare Poll() through pythonnet"),
            ("pythonnet_floor", "  a trivial method through pythonnet (GetOccupancy)"),
            ("ctypes_floor", "  a trivial C function through ctypes (labs)"),
            ("python_floor", "  pure Python: sum of 300 ints"),
        })
        {
            Row(w, label + ": back to back / after a frame's pause, p50",
                Inv($"{Us(cost.GetProperty(key + "_warm_us"), "p50")} / {Us(cost.GetProperty(key + "_after_pause_us"), "p50")} ms"), "", "");
        }
        var c = td.Figures.GetProperty("chop");
        Row(w, "Script CHOP, 1,000 fields, layout unchanged: dn.Frame values into the buffer, p50 / p99",
            Inv($"{c.GetProperty("frame_call_us").GetProperty("p50").GetDouble():F1} / {c.GetProperty("frame_call_us").GetProperty("p99").GetDouble():F1} µs"), "", "");
        Row(w, "  the CHOP's cook in the fake (values into existing channels), p50 / p99",
            Inv($"{c.GetProperty("cook_us").GetProperty("p50").GetDouble():F1} / {c.GetProperty("cook_us").GetProperty("p99").GetDouble():F1} µs"), "", "");
    }

    private static void PrintTdTotals(TdFramePhase.Result td)
    {
        for (var i = 0; i < TdFramePhase.Phases.Length; i++)
        {
            Console.WriteLine(Inv($"TD phase {TdFramePhase.Phases[i].Design} at {TdFramePhase.Phases[i].Rate:N0} msg/s: {td.Published[i]:N0} messages published in {td.PublishSeconds[i]:F1} s."));
        }

        Console.WriteLine("Raw TD-side figures (µs): " + td.Figures.GetRawText());
    }

    private static void PrintProcess(System.Collections.Generic.IReadOnlyList<ClientProcessPhase.Run> runs)
    {
        var w = Console.Out;
        w.WriteLine();
        w.WriteLine("Client process alone (a DataNetClient + a 60 fps Poll thread, fed 55 B JSON messages over loopback): process CPU time / wall time, and allocations per message.");
        w.WriteLine();
        w.WriteLine("| runtime settings | scenario | CPU (cores) | CPU per 1,000 msg/s | bytes / msg | objects / msg |");
        w.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var run in runs)
        {
            foreach (var s in run.Scenarios)
            {
                var rate = s.Messages / s.Seconds;
                w.WriteLine(Inv($"| {run.Settings} | {s.Name} ({rate:N0} msg/s) | {s.CpuCores:F3} | {(rate < 1 ? "-" : (s.CpuCores * 1000 / rate).ToString("F3", CultureInfo.InvariantCulture))} | {(s.Messages == 0 ? "-" : s.BytesPerMessage.ToString("F0", CultureInfo.InvariantCulture))} | {(s.ObjectsPerMessage < 0 ? "-" : s.ObjectsPerMessage.ToString("F2", CultureInfo.InvariantCulture))} |"));
            }
        }
    }

    /// <summary>A microsecond figure of the child as milliseconds; "n/a" when the child measured nothing there.</summary>
    private static string Us(JsonElement e, string key) => e.ValueKind == JsonValueKind.Object
        ? (e.GetProperty(key).GetDouble() / 1000.0).ToString("F3", CultureInfo.InvariantCulture)
        : "n/a";

    private static string Hit(bool hit) => hit ? "hit" : "**miss**";

    private static void Row(System.IO.TextWriter w, string figure, string value, string target, string result) =>
        w.WriteLine($"| {figure} | {value} | {target} | {result} |");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

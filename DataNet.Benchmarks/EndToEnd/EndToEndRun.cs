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
        var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, MinimumLogLevel = LogLevel.Warning }).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            Console.WriteLine($"[1/5] receive rate: {settings.RateMessages:N0} x 55 B JSON per run, raw ClientWebSocket vs DataNetClient + Poll loop");
            var rate = await ReceiveRatePhase.RunAsync(gateway, settings).ConfigureAwait(false);
            Console.WriteLine($"[2/5] publish -> dispatch latency: {settings.LatencySamples:N0} samples, 1 per ms");
            var latency = await LatencyPhase.RunAsync(gateway, settings).ConfigureAwait(false);
            Console.WriteLine($"[3/5] TD main thread: {settings.FrameSeconds:0.#} s at {settings.FrameRate} fps with {settings.StreamRate:N0} msg/s (Python child), then Script CHOP refresh of 1,000 fields");
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

    private static void Print(E2eSettings settings, DateTime started, string loadBefore, string loadAfter, ReceiveRatePhase.Result rate,
        LatencyPhase.Result latency, TdFramePhase.Result td, FloodPhase.Result flood)
    {
        var f = td.Figures.GetProperty("frame");
        var c = td.Figures.GetProperty("chop");
        var w = Console.Out;
        w.WriteLine(Inv($"## e2e figures ({started:yyyy-MM-dd HH:mm} UTC{(settings.Quick ? ", --quick" : "")})"));
        w.WriteLine();
        w.WriteLine(Inv($"Machine: {Machine.Describe()}; Python {td.Figures.GetProperty("python").GetString()}, pythonnet {td.Figures.GetProperty("pythonnet")}; load average before {loadBefore}, after {loadAfter}."));
        w.WriteLine();
        w.WriteLine("| figure | value | target | result |");
        w.WriteLine("| --- | --- | --- | --- |");
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
        var hook = f.GetProperty("hook_us");
        Row(w, Inv($"TD main thread per frame at {settings.FrameRate} fps, {settings.StreamRate:N0} msg/s: onFrameStart mean / p50 / p99 / max"),
            Inv($"{Us(hook, "mean")} / {Us(hook, "p50")} / {Us(hook, "p99")} / {Us(hook, "max")} ms"), "<= 0.5 ms", Hit(hook.GetProperty("mean").GetDouble() <= 500) + " (mean)");
        Row(w, "  of which dn.poll() (Poll through pythonnet), mean / p99", Inv($"{Us(f.GetProperty("poll_us"), "mean")} / {Us(f.GetProperty("poll_us"), "p99")} ms"), "", "");
        Row(w, "  of which table sink (TakeNewestRows + convert + fake Table DAT), mean", Inv($"{Us(f.GetProperty("sink_us"), "mean")} ms (TakeNewestRows + convert {Us(f.GetProperty("take_us"), "mean")} ms)"), "", "");
        Row(w, "  of which Script CHOP cook (collect() + fake appendChan), mean", Inv($"{Us(f.GetProperty("cook_us"), "mean")} ms (collect() {Us(f.GetProperty("collect_us"), "mean")} ms)"), "", "");
        Row(w, "  messages per frame / dropped / frames over 16.7 ms",
            Inv($"{f.GetProperty("messages_per_frame").GetDouble():F0} / {f.GetProperty("dropped_inbox").GetInt64()} / {f.GetProperty("overruns").GetInt32()} of {f.GetProperty("frames").GetInt32()}"), "", "");
        Row(w, Inv($"  rows to Python, about {f.GetProperty("cells_per_frame").GetDouble():F0} cells: list(Cells) / JoinCells().split, p50"),
            Inv($"{Us(f.GetProperty("cells_list_us"), "p50")} / {Us(f.GetProperty("cells_joined_us"), "p50")} ms"), "", "");
        var refresh = c.GetProperty("refresh_us");
        var collect = c.GetProperty("collect_us");
        Row(w, "Script CHOP refresh, 1,000 fields: whole cook in the fake, p50 / p99", Inv($"{refresh.GetProperty("p50").GetDouble():F1} / {refresh.GetProperty("p99").GetDouble():F1} µs"), "", "");
        Row(w, "  SDK part (Collect + names cache + bulk copy), p50 / p99", Inv($"{collect.GetProperty("p50").GetDouble():F1} / {collect.GetProperty("p99").GetDouble():F1} µs"), "<= 50 µs", Hit(collect.GetProperty("p50").GetDouble() <= 50) + " (p50)");
        var floor = c.GetProperty("copyvalues_floor_us");
        Row(w, "  values-only floor (CopyValues + bulk copy), p50", Inv($"{floor.GetProperty("p50").GetDouble():F1} µs"), "", "");
        Row(w, Inv($"flood {flood.Seconds:F1} s, nobody polling: sent / received"), Inv($"{flood.Sent:N0} / {flood.Received:N0}"), "", "");
        Row(w, "  inbox cap / backlog / DroppedInboxOverflow (= sent - cap?)",
            Inv($"{flood.InboxCapacity:N0} / {flood.Backlog:N0} / {flood.DroppedInboxOverflow:N0}"), "exact", Hit(flood.DropsExact && flood.InvariantHolds && flood.DrainedNewestInOrder));
        Row(w, "  working set before / after 1 s / peak / end",
            Inv($"{flood.WorkingSetBeforeMb:F0} / {flood.WorkingSetAfterFirstSecondMb:F0} / {flood.PeakWorkingSetMb:F0} / {flood.WorkingSetEndMb:F0} MB"), "flat", Hit(flood.PeakWorkingSetMb - flood.WorkingSetAfterFirstSecondMb <= 64));
        Row(w, "  GC heap after 1 s / peak", Inv($"{flood.HeapAfterFirstSecondMb:F0} / {flood.PeakHeapMb:F0} MB"), "", "");
        w.WriteLine();
        w.WriteLine(Inv($"Drain after the flood delivered the newest {flood.InboxCapacity:N0} in order: {flood.DrainedNewestInOrder}; Received == Dispatched + Backlog + Dropped: {flood.InvariantHolds}."));
        w.WriteLine(Inv($"TD phase: {td.Published:N0} messages published in {td.PublishSeconds:F1} s; the child polled {f.GetProperty("messages_polled").GetInt64():N0}, table rows {f.GetProperty("table_rows").GetInt32()}, CHOP channels {f.GetProperty("chop_chans").GetInt32()}."));
        w.WriteLine("Raw TD-side figures (µs): " + td.Figures.GetRawText());
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

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Benchmarks.Micro;
using DataNet.Gateway;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// The client in a process of its own (<see cref="ClientProbe"/>), as TD hosts it, fed by a publisher here: process
/// CPU time over wall time while idle, at 1,000 and 10,000 msg/s, and in a flood; bytes and objects allocated per
/// message. Three child runs: default runtime settings; <c>UnfairSemaphoreSpinLimit=0</c> (what the loader writes);
/// and that again with EventPipe's allocation events on, for exact object counts (its CPU figures are not used).
/// </summary>
internal static class ClientProcessPhase
{
    public const string Channel = "project.local.bench.process";

    public sealed record Scenario(string Name, double CpuCores, double Messages, double BytesPerMessage, double ObjectsPerMessage, double Seconds);

    public sealed record Run(string Settings, IReadOnlyList<Scenario> Scenarios);

    public static async Task<IReadOnlyList<Run>> RunAsync(LocalGateway gateway, E2eSettings settings)
    {
        using var publisher = await RawSocket.ConnectAsync(gateway, "bench-process-publisher").ConfigureAwait(false);
        var frame = RawSocket.PublishFrame(Channel, Payloads.Json60);
        var runs = new List<Run>();
        foreach (var (name, spinLimitZero, countObjects) in new[] { ("default", false, false), ("spin limit 0", true, false), ("spin limit 0, objects counted", true, true) })
        {
            var env = new Dictionary<string, string>();
            if (spinLimitZero)
            {
                env["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
            }

            var trace = Path.Combine(Path.GetTempPath(), "datanet-bench-" + Guid.NewGuid().ToString("N") + ".nettrace");
            if (countObjects)
            {
                env["DOTNET_EnableEventPipe"] = "1";
                env["DOTNET_EventPipeConfig"] = "Microsoft-Windows-DotNETRuntime:0x200000:5";
                env["DOTNET_EventPipeOutputPath"] = trace;
            }

            try
            {
                runs.Add(new Run(name, await RunChildAsync(gateway, publisher, frame, env, settings).ConfigureAwait(false)));
            }
            finally
            {
                File.Delete(trace);
            }

            Console.WriteLine($"  {name}: " + string.Join("; ", runs[^1].Scenarios.Select(s =>
                Inv($"{s.Name} {s.CpuCores:F3} cores, {s.BytesPerMessage:F0} B/msg, {(s.ObjectsPerMessage < 0 ? "-" : s.ObjectsPerMessage.ToString("F2", CultureInfo.InvariantCulture))} obj/msg"))));
        }

        return runs;
    }

    private static async Task<List<Scenario>> RunChildAsync(LocalGateway gateway, RawSocket publisher, byte[] frame, Dictionary<string, string> env, E2eSettings settings)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ClientProcessPhase).Assembly.Location);
        }

        start.ArgumentList.Add("client-probe");
        start.ArgumentList.Add(gateway.Port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Channel);
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var child = Process.Start(start)!;
        try
        {
            if (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) != "ready")
            {
                throw new InvalidOperationException("the client probe did not start");
            }

            var scenarios = new List<Scenario>();
            var seconds = settings.Quick ? 3 : settings.ProcessSeconds;
            var received = 0L;
            async Task<double[]> Sample()
            {
                await child.StandardInput.WriteLineAsync("sample").ConfigureAwait(false);
                var line = await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("the client probe ended");
                return Array.ConvertAll(line.Split(' '), s => double.Parse(s, CultureInfo.InvariantCulture));
            }

            async Task Measure(string name, Func<Task<int>> traffic)
            {
                var before = await Sample().ConfigureAwait(false);
                var sent = await traffic().ConfigureAwait(false);
                received += sent;
                double[] after;
                var deadline = Stopwatch.StartNew();
                do
                {
                    after = await Sample().ConfigureAwait(false);
                }
                while (after[5] < received && deadline.Elapsed < TimeSpan.FromMinutes(1));

                var messages = after[5] - before[5];
                var wall = after[1] - before[1];
                var bytes = after[2] - before[2];
                var eventBytes = after[4] - before[4];
                // Objects the events reported, scaled by the bytes they missed (late or lost events).
                var objects = after[3] < 0 || messages == 0 || eventBytes <= 0 ? -1 : (after[3] - before[3]) * (bytes / eventBytes) / messages;
                scenarios.Add(new Scenario(name, (after[0] - before[0]) / wall, messages, messages == 0 ? 0 : bytes / messages, objects, wall / 1000));
            }

            // Warm-up, not reported: JIT and tiering, the ring and buffers at size.
            await Measure("warm-up", () => PacedAsync(publisher, frame, 10_000, 2)).ConfigureAwait(false);
            scenarios.Clear();
            await Measure("idle", async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
            await Measure("1,000 msg/s", () => PacedAsync(publisher, frame, 1_000, seconds)).ConfigureAwait(false);
            await Measure("10,000 msg/s", () => PacedAsync(publisher, frame, 10_000, seconds)).ConfigureAwait(false);
            await Measure("flood", async () =>
            {
                var n = settings.Quick ? 20_000 : 100_000;
                for (var i = 0; i < n; i++)
                {
                    await publisher.SendAsync(frame).ConfigureAwait(false);
                }

                return n;
            }).ConfigureAwait(false);
            child.StandardInput.Close();
            await child.WaitForExitAsync().ConfigureAwait(false);
            return scenarios;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    /// <summary>Publishes <paramref name="rate"/> messages a second for <paramref name="seconds"/>, in 10 ms steps.</summary>
    private static async Task<int> PacedAsync(RawSocket publisher, byte[] frame, int rate, double seconds)
    {
        var total = (int)(rate * seconds);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate));
            for (; sent < due; sent++)
            {
                await publisher.SendAsync(frame).ConfigureAwait(false);
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return total;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Benchmarks.Micro;
using DataNet.Gateway;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// The TouchDesigner side, measured in real CPython 3.11 + pythonnet (zero-pip, from the DataNetSdk/ folder, as the
/// Python tests load it) with the TD fake: a child process runs PythonBench/bench_td.py, which builds the component's
/// network (loader DAT, runtime DAT, default controller, Execute DAT frame hook, table sink, Table DAT, Script CHOP) and
/// the build guide's pure-Python design side by side, says READY, then runs one phase per (design, rate): 60 fps
/// frames while this process publishes the same stream at that rate. Then Script CHOP refreshes of 1,000 fields. Its
/// figures come back as JSON lines (PHASE {...} per phase, RESULT {...} at the end).
/// </summary>
internal static class TdFramePhase
{
    public const string FrameChannel = "project.local.bench.td-frames";
    public const string ChopChannel = "project.local.bench.td-chop";

    /// <summary>
    /// The phases, in order: each design at each rate, on the same gateway and stream. <c>sdk-pythonnet</c> is the SDK
    /// with its frame call made through pythonnet's method binder (before the C entry point), for an A/B in one run.
    /// </summary>
    public static readonly (string Design, int Rate)[] Phases =
        [("sdk", 10_000), ("sdk-pythonnet", 10_000), ("guide", 10_000), ("sdk", 1_000), ("sdk-pythonnet", 1_000), ("guide", 1_000)];

    public sealed record Result(JsonElement Figures, long[] Published, double[] PublishSeconds);

    public static async Task<Result> RunAsync(LocalGateway gateway, E2eSettings settings)
    {
        var output = AppContext.BaseDirectory;
        var python = FindPython();
        var start = new ProcessStartInfo(python)
        {
            WorkingDirectory = Path.Combine(output, "PythonBench"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(output, "PythonBench", "bench_td.py"));
        var home = Directory.CreateTempSubdirectory("datanet-bench-home-");
        var env = start.Environment;
        env["PYTHONPATH"] = Path.Combine(output, "PythonTd") + Path.PathSeparator + Path.Combine(output, "PythonSdk");
        env["PYTHONDONTWRITEBYTECODE"] = "1";
        env["PYTHONUNBUFFERED"] = "1";
        env["DATANET_SDK_DIR"] = Path.Combine(output, "DataNetSdk");
        env["DATANET_BENCH_PY_SDK"] = Path.Combine(output, "PythonSdk");
        env["DATANET_BENCH_API_URL"] = gateway.ApiUrl.ToString().TrimEnd('/');
        env["DATANET_BENCH_WS_URL"] = gateway.WsUrl.ToString().TrimEnd('/');
        env["DATANET_BENCH_FRAME_CHANNEL"] = FrameChannel;
        env["DATANET_BENCH_CHOP_CHANNEL"] = ChopChannel;
        env["DATANET_BENCH_SECONDS"] = settings.FrameSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["DATANET_BENCH_FPS"] = settings.FrameRate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["DATANET_BENCH_CHOP_COOKS"] = settings.Quick ? "200" : "1000";
        env["HOME"] = home.FullName;
        env["XDG_CONFIG_HOME"] = Path.Combine(home.FullName, ".config");
        foreach (var name in new[] { "DATANET_API_KEY", "DATANET_CREDENTIALS", "DATANET_PROFILE", "DATANET_RUNTIME", "PYTHONNET_RUNTIME", "DATANET_API_URL", "DATANET_WS_URL" })
        {
            env.Remove(name);
        }

        using var process = new Process { StartInfo = start };
        var log = new StringBuilder();
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lines.Writer.TryComplete();
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            lines.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await NextLineAsync(lines.Reader, "READY", TimeSpan.FromSeconds(90), log).ConfigureAwait(false);
            using var publisher = await RawSocket.ConnectAsync(gateway, "bench-td-publisher").ConfigureAwait(false);
            var published = new long[Phases.Length];
            var seconds = new double[Phases.Length];
            for (var i = 0; i < Phases.Length; i++)
            {
                var (design, rate) = Phases[i];
                await process.StandardInput.WriteLineAsync(Inv($"GO {design} {rate}")).ConfigureAwait(false);
                await process.StandardInput.FlushAsync().ConfigureAwait(false);
                await NextLineAsync(lines.Reader, "SUBSCRIBED", TimeSpan.FromSeconds(60), log).ConfigureAwait(false);
                // A little longer than the child's frame loop, so messages arrive through its last frame.
                (published[i], seconds[i]) = await PacedPublishAsync(publisher, rate, settings.FrameSeconds + 0.5).ConfigureAwait(false);
                await NextLineAsync(lines.Reader, "PHASE ", TimeSpan.FromSeconds(60), log).ConfigureAwait(false);
            }

            await process.StandardInput.WriteLineAsync("CHOP").ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
            var resultLine = await NextLineAsync(lines.Reader, "RESULT ", TimeSpan.FromMinutes(3), log).ConfigureAwait(false);
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The Python child failed (exit {process.ExitCode}):\n" + Log(log));
            }

            using var doc = JsonDocument.Parse(resultLine["RESULT ".Length..]);
            return new Result(doc.RootElement.Clone(), published, seconds);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            home.Delete(recursive: true);
        }
    }

    /// <summary>The child's next line starting with <paramref name="prefix"/> (others are only logged); fails with the log.</summary>
    private static async Task<string> NextLineAsync(System.Threading.Channels.ChannelReader<string> lines, string prefix, TimeSpan within, StringBuilder log)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            while (await lines.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                while (lines.TryRead(out var line))
                {
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The Python child did not say {prefix.Trim()} within {within}:\n" + Log(log));
        }

        throw new InvalidOperationException($"The Python child ended before {prefix.Trim()}:\n" + Log(log));
    }

    private static string Inv(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends at <paramref name="rate"/> msg/s, evenly: every millisecond, whatever is due by then.</summary>
    private static async Task<(long Sent, double Seconds)> PacedPublishAsync(RawSocket publisher, int rate, double seconds)
    {
        // Values change from message to message (as sensors do), so LastValues.Version bumps and the CHOP recooks.
        var frames = new byte[600][];
        for (var i = 0; i < frames.Length; i++)
        {
            var phase = i * 2 * Math.PI / frames.Length;
            frames[i] = RawSocket.PublishFrame(FrameChannel, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{{\"x\":{Math.Sin(phase):F4},\"y\":{Math.Cos(phase):F4},\"z\":{(i % 100) / 100.0:F4},\"rssi\":{-40 - (i % 30)},\"on\":{(i % 2 == 0 ? "true" : "false")}}}"));
        }

        var watch = Stopwatch.StartNew();
        long sent = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            var due = (long)(watch.Elapsed.TotalSeconds * rate);
            while (sent < due)
            {
                await publisher.SendAsync(frames[sent % frames.Length]).ConfigureAwait(false);
                sent++;
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        return (sent, watch.Elapsed.TotalSeconds);
    }

    private static string Log(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>DATANET_TEST_PYTHON, else python3.11 on PATH, else /usr/bin/python3.11 (as the Python tests choose).</summary>
    private static string FindPython()
    {
        var chosen = Environment.GetEnvironmentVariable("DATANET_TEST_PYTHON");
        if (!string.IsNullOrEmpty(chosen))
        {
            return chosen;
        }

        var exe = OperatingSystem.IsWindows() ? "python3.11.exe" : "python3.11";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, exe)))
            {
                return Path.Combine(dir, exe);
            }
        }

        return File.Exists("/usr/bin/python3.11")
            ? "/usr/bin/python3.11"
            : throw new FileNotFoundException("Python 3.11 not found: set DATANET_TEST_PYTHON or put python3.11 on PATH.");
    }

    internal static IEnumerable<string> Keys(JsonElement e)
    {
        foreach (var p in e.EnumerateObject())
        {
            yield return p.Name;
        }
    }
}

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.Cli;

/// <summary>
/// What one <c>datanet</c> command costs as a process, wall clock from start to exit: <c>--version</c> (the
/// process start and the command line), one <c>pub</c> to a loopback gateway, and a <c>pub</c> to a port where
/// nothing listens. A warm-up of each, then <c>runs</c> measured runs; prints the median and the spread.
/// </summary>
internal static class CliCostBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 1 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var dll = Path.Combine(AppContext.BaseDirectory, "datanet.dll");
        var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, MinimumLogLevel = LogLevel.Warning }).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            var api = gateway.ApiUrl.ToString().TrimEnd('/');
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cli: {runs} runs each after a warm-up, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
            var start = await MeasureAsync("datanet --version", dll, api, runs, "--version").ConfigureAwait(false);
            var pub = await MeasureAsync("datanet pub (loopback gateway)", dll, api, runs, "pub", "bench.cli", "{\"v\":1}").ConfigureAwait(false);
            await MeasureAsync("datanet pub (nothing listening)", dll, "http://127.0.0.1:9", runs, "pub", "bench.cli", "1").ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"one pub costs {pub - start:N0} ms more than starting the process (medians)"));
        }

        return 0;
    }

    private static async Task<double> MeasureAsync(string name, string dll, string apiUrl, int runs, params string[] args)
    {
        await RunOnceAsync(dll, apiUrl, args).ConfigureAwait(false);
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            times[i] = await RunOnceAsync(dll, apiUrl, args).ConfigureAwait(false);
        }

        Array.Sort(times);
        var median = times[runs / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-34} median {median,5:N0} ms   min {times[0],5:N0}   max {times[^1],5:N0}"));
        return median;
    }

    private static async Task<double> RunOnceAsync(string dll, string apiUrl, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DATANET_API_URL"] = apiUrl;
        start.Environment.Remove("DATANET_API_KEY");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await Task.WhenAll(output, error).ConfigureAwait(false);
        return elapsed;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

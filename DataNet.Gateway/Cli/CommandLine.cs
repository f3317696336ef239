using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace DataNet.Gateway.Cli;

/// <summary>
/// <c>DataNet.Gateway [--port N] [--config FILE] [--bind ADDRESS] [--token-lifetime SECONDS]
/// [--max-frame-bytes N] [--log-json] [--verbose]</c>, or <c>DataNet.Gateway bench-fanout [--messages N] [--size BYTES]</c>.
/// </summary>
internal static class CommandLine
{
    public const string Usage =
        """
        DataNet local gateway

        Usage:
          DataNet.Gateway [options]                 serve the DataNet protocol locally
          DataNet.Gateway bench-fanout [options]    measure fan-out to one loopback subscriber

        Serve options:
          --port N                 TCP port (default 8080; 0 = any free port)
          --config FILE            JSON file with keys, projects, channels and limits
          --bind ADDRESS           IP address to bind (default 127.0.0.1; anything else is reachable from the network)
          --token-lifetime SECONDS JWT lifetime, fractions allowed (default: the config's, else 600)
          --max-frame-bytes N      largest client frame before closing with 1009 (default 1048576)
          --fault-controls         serve the fault controls over HTTP under /faults/ (loopback binds only)
          --record-frames          keep every client frame (GET /faults/frames); memory grows: tests only
          --log-json               log JSON lines instead of text
          --verbose                log debug events too

        bench-fanout options:
          --messages N             messages per run (default 200000)
          --size BYTES             approximate JSON payload size (default 64)
          --publishers N           publisher sockets sending at once (default 1)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
            {
                Console.WriteLine(Usage);
                return 0;
            }
            if (args.Length > 0 && args[0] == "bench-fanout")
            {
                return await FanoutBenchmark.RunAsync(ParseBench(args.AsSpan(1))).ConfigureAwait(false);
            }
            return await ServeCommand.RunAsync(ParseServe(args)).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static GatewayOptions ParseServe(string[] args)
    {
        var options = new GatewayOptions { LogToConsole = true };
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--port" => options with { Port = Int(args, ref i, 0, 65535) },
                "--config" => options with { ConfigPath = ExistingFile(Value(args, ref i)) },
                "--bind" => options with { BindAddress = Value(args, ref i) },
                "--token-lifetime" => options with { TokenLifetime = Seconds(args, ref i) },
                "--fault-controls" => options with { FaultControlsOverHttp = true },
                "--record-frames" => options with { RecordClientFrames = true },
                "--max-frame-bytes" => options with { MaxFrameBytes = Int(args, ref i, 64, int.MaxValue - 1) },
                "--log-json" => options with { LogAsJson = true },
                "--verbose" => options with { MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Debug },
                _ => throw new UsageException($"unknown option '{args[i]}'"),
            };
        }
        return options;
    }

    private static BenchSettings ParseBench(ReadOnlySpan<string> args)
    {
        var settings = new BenchSettings();
        var array = args.ToArray();
        for (var i = 0; i < array.Length; i++)
        {
            settings = array[i] switch
            {
                "--messages" => settings with { Messages = Int(array, ref i, 1, 100_000_000) },
                "--size" => settings with { PayloadBytes = Int(array, ref i, 1, 1_000_000) },
                "--publishers" => settings with { Publishers = Int(array, ref i, 1, 64) },
                _ => throw new UsageException($"unknown bench-fanout option '{array[i]}'"),
            };
        }
        return settings;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException($"'{args[i]}' needs a value");
        }
        return args[++i];
    }

    private static int Int(string[] args, ref int i, int min, int max)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"'{name}' needs a whole number from {min} to {max}, not '{text}'");
        }
        return value;
    }

    private static TimeSpan Seconds(string[] args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= 0.001 && value <= 315_360_000))
        {
            throw new UsageException($"'{name}' needs a number of seconds from 0.001 to 315360000, not '{text}'");
        }
        return TimeSpan.FromMilliseconds(Math.Round(value * 1000));
    }

    private static string ExistingFile(string path) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new UsageException($"config file '{path}' does not exist");

    private sealed class UsageException(string message) : Exception(message);
}

using System;
using System.Linq;
using System.Threading.Tasks;
using DataNet.Benchmarks.Cli;
using DataNet.Benchmarks.EndToEnd;
using DataNet.Benchmarks.Fanout;
using DataNet.Benchmarks.Faults;
using DataNet.Benchmarks.Gateway;
using DataNet.Benchmarks.Micro;
using DataNet.Benchmarks.Replay;

namespace DataNet.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- e2e [--quick]</c>: the one-process end-to-end run.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- slow-consumer</c>: the gateway's slow-consumer policy under load.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- micro [--quick] [BenchmarkDotNet options]</c>: the micro suite.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- frame-parts [frames]</c>: the .NET side of a TD frame, part by part.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- faults [--quick]</c>: the client under gateway kills and silent links.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- cli [--runs N]</c>: what one <c>datanet</c> process costs.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- replay [--seconds N] [--speed X]</c>: <c>datanet replay</c>'s timing drift.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- fanout [--messages N] [--size BYTES] [--publishers N]</c>: the gateway's fan-out.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project DataNet.Benchmarks -- <command>
          e2e [--quick]                     end-to-end on an in-process local gateway over loopback (--quick: under a minute)
          slow-consumer [--seconds N] [--flood N]
                                            gateway control-pair latency while one subscriber never reads
          micro [--quick] [BDN options]     BenchmarkDotNet micro benchmarks with the memory diagnoser
                                            (--quick: short job, in process; default filter '*', e.g. --filter '*Poll*')
          frame-parts [frames]              the .NET side of a TD frame part by part (Poll, Stats, rows, values,
                                            record), back to back and after a frame's sleep
          faults [--quick]                  gateway killed and restarted 20 times mid-stream, silent link detection
                                            (--quick: 5 kills, 2 trials)
          cli [--runs N]                    wall clock of one datanet process: --version, pub to a loopback gateway, pub refused
          fanout [--messages N] [--size BYTES] [--publishers N]
                                            the local gateway's fan-out to one loopback subscriber (raw sockets)
          replay [--seconds N] [--speed X]  datanet replay's lateness vs schedule over a synthetic 10-minute recording,
                                            N seconds of real time (default 60) at speed X (default 1)
        """;

    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "e2e":
                return await EndToEndRun.RunAsync(E2eSettings.Parse(args[1..])).ConfigureAwait(false);
            case "client-probe":
                return ClientProbe.Run(args[1..]);
            case "slow-consumer":
                return await SlowConsumerBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
            case "cli":
                return await CliCostBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
            case "fanout":
                return await FanoutBenchmark.RunAsync(FanoutSettings.Parse(args[1..])).ConfigureAwait(false);
            case "replay":
                return await ReplayDriftBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
            case "micro":
                return MicroRunner.Run(args[1..]);
            case "frame-parts":
                return FrameParts.Run(args[1..]);
            case "faults":
                return await FaultRun.RunAsync(args[1..]).ConfigureAwait(false);
            default:
                Console.Error.WriteLine(Usage);
                return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
        }
    }
}

using System;
using System.Linq;
using System.Threading.Tasks;
using DataNet.Benchmarks.EndToEnd;
using DataNet.Benchmarks.Gateway;
using DataNet.Benchmarks.Micro;

namespace DataNet.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- e2e [--quick]</c>: the one-process end-to-end run.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- slow-consumer</c>: the gateway's slow-consumer policy under load.
/// <c>dotnet run -c Release --project DataNet.Benchmarks -- micro [--quick] [BenchmarkDotNet options]</c>: the micro suite.
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
        """;

    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "e2e":
                return await EndToEndRun.RunAsync(E2eSettings.Parse(args[1..])).ConfigureAwait(false);
            case "slow-consumer":
                return await SlowConsumerBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
            case "micro":
                return MicroRunner.Run(args[1..]);
            default:
                Console.Error.WriteLine(Usage);
                return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
        }
    }
}

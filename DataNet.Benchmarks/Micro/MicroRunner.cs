using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DataNet.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet suite; <c>--quick</c> is a short job in this process (a quick look, less exact).</summary>
internal static class MicroRunner
{
    private static readonly string[] AllBenchmarks = { "--filter", "*" };

    public static int Run(string[] args)
    {
        var rest = new List<string>(args);
        var quick = rest.Remove("--quick");
        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (quick)
        {
            config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
        }

        if (!rest.Any(a => a.StartsWith("--filter", System.StringComparison.Ordinal) || a == "-f"))
        {
            rest.AddRange(AllBenchmarks);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroRunner).Assembly).Run(rest.ToArray(), config);
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}

using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>What the figures were measured on: cores, CPU model, runtime, load.</summary>
internal static class Machine
{
    public static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    public static string Load()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static string Describe() =>
        $"{Environment.ProcessorCount} cores ({Cpu()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}";
}

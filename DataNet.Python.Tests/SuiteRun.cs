using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace DataNet.Python.Tests;

/// <summary>One Python test's result as run_suite.py wrote it: outcome, traceback (or skip reason), seconds, output.</summary>
internal sealed record PythonResult(string Id, string Outcome, string Traceback, double Duration, string Output);

/// <summary>
/// What one run of a suite produced: a result per test that reported, the errors that belong to no one test
/// (setUpClass, tearDownModule...), whether the runner got to its end, and the child's whole output.
/// </summary>
internal sealed class SuiteRun
{
    private const string Marker = "##datanet-test ";

    private SuiteRun(string suite, IReadOnlyDictionary<string, PythonResult> results, IReadOnlyList<PythonResult> strays,
        bool finished, string exit, bool exitedCleanly, string output)
    {
        Suite = suite;
        Results = results;
        Strays = strays;
        Finished = finished;
        Exit = exit;
        ExitedCleanly = exitedCleanly;
        Output = output;
    }

    public string Suite { get; }

    public IReadOnlyDictionary<string, PythonResult> Results { get; }

    /// <summary>Failures unittest reported for no test of its own (setUpModule, setUpClass, tearDownClass...).</summary>
    public IReadOnlyList<PythonResult> Strays { get; }

    /// <summary>True when the runner wrote its last line: every test of the suite ran.</summary>
    public bool Finished { get; }

    /// <summary>e.g. "exit 0", or how the child was stopped.</summary>
    public string Exit { get; }

    public bool ExitedCleanly { get; }

    public string Output { get; }

    /// <summary>The end of the child's output, for a message about the whole run.</summary>
    public string OutputTail => Output.Length <= 6000 ? Output : "..." + Output[^6000..];

    public static SuiteRun Parse(string suite, IEnumerable<string> lines, string output, string exit, bool exitedCleanly)
    {
        var outputs = SplitByTest(output);
        var results = new Dictionary<string, PythonResult>(StringComparer.Ordinal);
        var strays = new List<PythonResult>();
        var finished = false;
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("done", out _))
            {
                finished = true;
                continue;
            }
            var id = root.GetProperty("id").GetString() ?? "";
            var result = new PythonResult(id, root.GetProperty("outcome").GetString() ?? "", root.GetProperty("traceback").GetString() ?? "",
                root.GetProperty("duration").GetDouble(), outputs.GetValueOrDefault(id, ""));
            if (outputs.ContainsKey(id))
            {
                results[id] = result;
            }
            else
            {
                strays.Add(result);
            }
        }
        return new SuiteRun(suite, results, strays, finished, exit, exitedCleanly, output);
    }

    /// <summary>Each test's output: what the child printed between its marker line and the next one.</summary>
    private static Dictionary<string, string> SplitByTest(string output)
    {
        var byTest = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = output.Split("\n" + Marker);
        foreach (var part in parts.Skip(1))
        {
            var end = part.IndexOf('\n', StringComparison.Ordinal);
            var id = (end < 0 ? part : part[..end]).Trim();
            byTest[id] = end < 0 ? "" : part[(end + 1)..];
        }
        return byTest;
    }
}

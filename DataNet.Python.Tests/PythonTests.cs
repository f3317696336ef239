using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DataNet.Gateway;

namespace DataNet.Python.Tests;

/// <summary>
/// Every Python test of the TouchDesigner side as an NUnit test of its own, named as Python names it (e.g.
/// <c>test_facade.SpellingTests.test_subscribe_then_poll</c>), failing with its traceback and its output. The tests
/// still run in real CPython 3.11 with the real pythonnet runtime, loaded the zero-pip way from the SDK folder: each
/// suite runs once, in one child process, against its own in-process gateway, when its first test asks; every test
/// then reports its own line of that run. <see cref="Suite"/> checks each run as a whole (it ended, nothing failed
/// outside a test, no test was left out), so a suite that crashes before or between its tests fails visibly.
/// </summary>
[TestFixture]
public sealed class PythonTests
{
    /// <summary>Two suites at a time: each is mostly one busy CPython thread.</summary>
    private static readonly SemaphoreSlim Slots = new(2);

    private readonly ConcurrentDictionary<string, Lazy<Task<SuiteRun>>> _runs = new(StringComparer.Ordinal);

    /// <summary>Every Python test by its id; when listing fails, one failing case per suite says why.</summary>
    public static IEnumerable<TestCaseData> Tests()
    {
        var suites = PythonSuite.Names();
        IReadOnlyList<(string Suite, string Id)> ids;
        string? failure = null;
        try
        {
            ids = PythonSuite.List(suites);
        }
#pragma warning disable CA1031 // Discovery must not throw: the failure becomes a failing test that shows it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e.Message;
            ids = [.. suites.Select(s => (s, s + " (not listed)"))];
        }
        foreach (var (suite, id) in ids)
        {
            yield return new TestCaseData(suite, id, failure).SetName(id);
        }
    }

    /// <summary>The suites, one whole-run check each.</summary>
    public static IEnumerable<string> Suites() => PythonSuite.Names();

    [OneTimeSetUp]
    public void CheckOutput()
    {
        Assert.That(File.Exists(Path.Combine(PythonSuite.SdkFolder, "Python.Runtime.dll")), Is.True, $"Python.Runtime.dll missing from {PythonSuite.SdkFolder}");
        Assert.That(File.Exists(Path.Combine(PythonSuite.SdkFolder, "DataNet.Td.dll")), Is.True, $"DataNet.Td.dll missing from {PythonSuite.SdkFolder}");
        Assert.That(File.Exists(Path.Combine(PythonSuite.TestsFolder, "run_suite.py")), Is.True, "run_suite.py was not copied to the output");
    }

    [TestCaseSource(nameof(Tests))]
    public async Task Python(string suite, string id, string? listingFailure)
    {
        Assert.That(listingFailure, Is.Null, listingFailure);
        var run = await RunAsync(suite);
        if (!run.Results.TryGetValue(id, out var result))
        {
            Assert.Fail($"{id} did not run: the suite's run ended first ({run.Exit}, {(run.Finished ? "runner finished" : "runner did not finish")})."
                + Strays(run) + $"\nSuite output (end):\n{run.OutputTail}");
            return;
        }

        TestContext.Out.WriteLine($"{id}: {result.Outcome} in {result.Duration:0.000} s (CPython)");
        TestContext.Out.Write(result.Output);
        switch (result.Outcome)
        {
            case "passed":
                break;
            case "skipped":
                Assert.Ignore(result.Traceback);
                break;
            default:
                Assert.Fail($"{result.Traceback}\n--- output of {id} ---\n{result.Output}");
                break;
        }
    }

    [TestCaseSource(nameof(Suites))]
    public async Task Suite(string suite)
    {
        Assert.That(File.Exists(Path.Combine(PythonSuite.TestsFolder, suite + ".py")), Is.True, $"{suite}.py was not copied to {PythonSuite.TestsFolder}");
        var run = await RunAsync(suite);
        TestContext.Out.WriteLine($"{suite}: {run.Results.Count} tests reported, {run.Exit}");
        Assert.Multiple(() =>
        {
            Assert.That(run.Finished, Is.True, $"{suite} ended before all its tests ran ({run.Exit}).{Strays(run)}\nOutput (end):\n{run.OutputTail}");
            Assert.That(run.Strays, Is.Empty, $"{suite} failed outside any one test:{Strays(run)}");
            Assert.That(run.ExitedCleanly, Is.True, $"{suite}: {run.Exit}\nOutput (end):\n{run.OutputTail}");
            Assert.That(run.Results, Is.Not.Empty, $"{suite} ran no test");
        });
    }

    /// <summary>
    /// The suite's one run, started by whichever of its tests asks first; the next suite starts beside it (two
    /// children keep both cores busy while each waits on its gateway and its .NET threads).
    /// </summary>
    private Task<SuiteRun> RunAsync(string suite)
    {
        var names = PythonSuite.Names();
        var next = names.SkipWhile(n => n != suite).Skip(1).FirstOrDefault();
        if (next is not null)
        {
            _ = Start(next);
        }
        return Start(suite);
    }

    private Task<SuiteRun> Start(string suite) =>
        _runs.GetOrAdd(suite, name => new Lazy<Task<SuiteRun>>(() => RunOnceAsync(name))).Value;

    private static async Task<SuiteRun> RunOnceAsync(string suite)
    {
        await Slots.WaitAsync();
        try
        {
            // A gateway per suite: suites that run side by side never see each other's channels or devices.
            await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
            return await PythonSuite.RunAsync(suite, gateway.ApiUrl, gateway.WsUrl, gateway.Port);
        }
        finally
        {
            Slots.Release();
        }
    }

    private static string Strays(SuiteRun run) =>
        string.Concat(run.Strays.Select(s => $"\n{s.Id}:\n{s.Traceback}"));
}

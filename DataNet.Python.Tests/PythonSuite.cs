using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace DataNet.Python.Tests;

/// <summary>
/// The Python suites of the TouchDesigner side (python/, tox-source/) as the output folder holds them: the suites and
/// the TD fake in PythonTests/, python/*.py in PythonSdk/, the SDK folder they load DataNet.Td from in DataNetSdk/.
/// Lists their tests (run_suite.py list) and runs a suite in one CPython 3.11 child (run_suite.py run).
/// </summary>
internal static class PythonSuite
{
    /// <summary>The suites that must exist (a missing copy fails instead of silently running less).</summary>
    public static readonly string[] Required =
        ["test_loader", "test_facade", "test_frame", "test_outputs", "test_setup_packages", "test_tdfake", "test_tox_build", "test_tox_runtime"];

    /// <summary>A hung suite is killed after this and its unfinished tests fail with its output (not a timed assertion).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    public static string Output => AppContext.BaseDirectory;

    public static string TestsFolder => Path.Combine(Output, "PythonTests");

    public static string SdkPythonFolder => Path.Combine(Output, "PythonSdk");

    public static string SdkFolder => Path.Combine(Output, "DataNetSdk");

    /// <summary>Every test_*.py copied to the output, and the required ones even when missing.</summary>
    public static IReadOnlyList<string> Names()
    {
        var found = new SortedSet<string>(Required, StringComparer.Ordinal);
        if (Directory.Exists(TestsFolder))
        {
            found.UnionWith(Directory.GetFiles(TestsFolder, "test_*.py").Select(Path.GetFileNameWithoutExtension).OfType<string>());
        }
        return [.. found];
    }

    /// <summary>
    /// The test ids of every suite, by unittest's own loader in a quick child (imports only, nothing runs). A module
    /// that does not import is listed under unittest's name for it (unittest.loader._FailedTest.NAME), so it fails
    /// visibly. Throws with the child's output when the listing itself fails.
    /// </summary>
    public static IReadOnlyList<(string Suite, string Id)> List(IReadOnlyList<string> suites)
    {
        var start = Start(TestPython.Find(), ["run_suite.py", "list", .. suites], home: null);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"listing the Python tests failed (exit {process.ExitCode}):\n{output}{error.Result}");
        }

        var ids = new List<(string, string)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            var id = json.RootElement.GetProperty("id").GetString() ?? "";
            ids.Add((suites.FirstOrDefault(s => id.StartsWith(s + ".", StringComparison.Ordinal) || id.EndsWith("." + s, StringComparison.Ordinal)) ?? "", id));
        }
        return ids;
    }

    /// <summary>Runs one suite in its own CPython child against <paramref name="gateway"/> and collects every test's result.</summary>
    public static async Task<SuiteRun> RunAsync(string suite, Uri apiUrl, Uri wsUrl, int port)
    {
        var home = Directory.CreateTempSubdirectory("datanet-pyhome-");
        var results = Path.Combine(home.FullName, "results.jsonl");
        try
        {
            var start = Start(TestPython.Find(), ["-X", "faulthandler", "run_suite.py", "run", suite, results], home.FullName);
            var env = start.Environment;
            env["DATANET_TEST_API_URL"] = apiUrl.ToString().TrimEnd('/');
            env["DATANET_TEST_WS_URL"] = wsUrl.ToString().TrimEnd('/');
            env["DATANET_TEST_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

            using var process = new Process { StartInfo = start };
            var text = new StringBuilder();
            var gate = new object();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { text.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { text.AppendLine(e.Data); } } };
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var guard = new CancellationTokenSource(HangGuard);
            var hung = false;
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                hung = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.WaitForExit(); // flushes the redirected streams

            string output;
            lock (gate)
            {
                output = text.ToString();
            }
            var lines = File.Exists(results) ? await File.ReadAllLinesAsync(results) : [];
            return SuiteRun.Parse(suite, lines, output, hung ? $"killed after {HangGuard} (hung)" : $"exit {process.ExitCode}", process.ExitCode == 0 && !hung);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A CPython child in PythonTests/ with the suites and python/ importable, the machine's own key, credentials,
    /// profile and runtime choice kept out, and HOME in <paramref name="home"/> (a scratch folder) when given.
    /// </summary>
    private static ProcessStartInfo Start(string python, string[] args, string? home)
    {
        var start = new ProcessStartInfo(python)
        {
            WorkingDirectory = TestsFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var env = start.Environment;
        env["PYTHONPATH"] = TestsFolder + Path.PathSeparator + SdkPythonFolder;
        env["PYTHONDONTWRITEBYTECODE"] = "1";
        env["PYTHONUNBUFFERED"] = "1";
        env["DATANET_SDK_DIR"] = SdkFolder;
        env["DATANET_TEST_PY_SDK"] = SdkPythonFolder;
        if (home is not null)
        {
            env["HOME"] = home;
            env["USERPROFILE"] = home;
            env["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        }
        foreach (var name in new[] { "DATANET_API_KEY", "DATANET_CREDENTIALS", "DATANET_PROFILE", "DATANET_RUNTIME",
                                     "PYTHONNET_RUNTIME", "DATANET_API_URL", "DATANET_WS_URL" })
        {
            env.Remove(name);
        }
        return start;
    }
}

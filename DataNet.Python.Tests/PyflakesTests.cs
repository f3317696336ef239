using System.Diagnostics;
using System.IO;

namespace DataNet.Python.Tests;

/// <summary>
/// pyflakes (Debian's python3-pyflakes; .ci/run installs it) over every Python file of the repository's Python side:
/// python/, tox-source/ and these suites with the TD fake. Any finding fails, with pyflakes' own lines.
/// </summary>
[TestFixture]
public sealed class PyflakesTests
{
    /// <summary>
    /// The globals TouchDesigner gives a DAT's module (docs.derivative.ca/Td_Module): frame_hook.py uses
    /// <c>op</c> and <c>me</c> as TD does, and pyflakes should count them as defined, not be silenced line by line.
    /// </summary>
    private const string TdGlobals = "op,me";

    [Test]
    public void PythonHasNoFindings()
    {
        var root = Repository.Root;
        var start = new ProcessStartInfo(Pyflakes())
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "pyflakes", "python", "tox-source", "DataNet.Python.Tests" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["PYFLAKES_BUILTINS"] = TdGlobals;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(error.Result, Does.Not.Contain("No module named pyflakes"),
            "pyflakes is not installed: apt-get install python3-pyflakes (.ci/run does)");
        Assert.That((process.ExitCode, output + error.Result), Is.EqualTo((0, "")), "pyflakes findings:\n" + output + error.Result);
    }

    /// <summary>The Python Debian's python3-pyflakes installs into (not necessarily the suites' 3.11).</summary>
    private static string Pyflakes() => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

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
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add("pyflakes");
        var files = SourceFiles(root).ToArray();
        Assert.That(files, Has.Length.GreaterThan(10), "the Python files were found");
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
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

    /// <summary>
    /// The repository's own Python files in those folders, relative to <paramref name="root"/>: not the copies a build
    /// leaves in bin/ and obj/ (they would be checked twice, or stale).
    /// </summary>
    private static IEnumerable<string> SourceFiles(string root) =>
        new[] { "python", "tox-source", "DataNet.Python.Tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.py", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(root, file))
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "__pycache__"))
            .Order(StringComparer.Ordinal);

    /// <summary>The Python Debian's python3-pyflakes installs into (not necessarily the suites' 3.11).</summary>
    private static string Pyflakes() => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>The CPython 3.11 the tests load the SDK from: DATANET_TEST_PYTHON, else python3.11 on PATH, else /usr/bin.</summary>
public static class TestPython
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("DATANET_TEST_PYTHON") is { Length: > 0 } given)
        {
            return given;
        }

        var name = OperatingSystem.IsWindows() ? "python3.11.exe" : "python3.11";
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (folder.Length > 0 && File.Exists(Path.Combine(folder, name)))
            {
                return Path.Combine(folder, name);
            }
        }

        if (File.Exists("/usr/bin/python3.11"))
        {
            return "/usr/bin/python3.11";
        }

        Assert.Fail("Python 3.11 not found: set DATANET_TEST_PYTHON, or put python3.11 on PATH (apt-get install python3.11 libpython3.11).");
        return string.Empty;
    }

    /// <summary>
    /// The interpreter binary itself (sys.executable), for a child started with a bare PATH: what <see cref="Find"/>
    /// returns may be a launcher script (pyenv's shims are bash scripts that need PATH).
    /// </summary>
    public static string Executable()
    {
        var start = new ProcessStartInfo(Find()) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; print(sys.executable)");
        using var python = Process.Start(start)!;
        var path = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        Assert.That((python.ExitCode, File.Exists(path)), Is.EqualTo((0, true)), $"sys.executable of {Find()}: '{path}'");
        return path;
    }
}

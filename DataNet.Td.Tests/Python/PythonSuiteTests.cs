using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway;
using DataNet.Td.Tests.Support;
using NUnit.Framework;

namespace DataNet.Td.Tests.Python;

/// <summary>
/// Runs the Python unittest suites of the TouchDesigner side (python/) in real CPython 3.11 with the
/// real pythonnet runtime, loaded the zero-pip way from the SDK folder assembled in the output
/// (DataNetSdk/: DataNet.Td's netstandard2.0 closure + Python.Runtime.dll), against an in-process
/// gateway. Each suite is one child process; a failing suite fails with the child's whole output.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PythonSuiteTests
{
    /// <summary>A hung child is killed after this, and the test fails with its output (not a timed assertion).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    private LocalGateway? _gateway;
    private string _python = "";

    /// <summary>The suites of python/ and tox-source/ that must exist (a missing copy fails instead of silently running less).</summary>
    private static readonly string[] RequiredSuites =
        ["test_loader", "test_facade", "test_frame", "test_outputs", "test_setup_packages", "test_tox_build", "test_tox_runtime"];

    /// <summary>Every test_*.py copied to the output (the required ones, the TD fake's own, any later ones).</summary>
    public static IEnumerable<string> Suites()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "PythonTests");
        var found = new SortedSet<string>(RequiredSuites, StringComparer.Ordinal);
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.GetFiles(dir, "test_*.py"))
            {
                found.Add(Path.GetFileNameWithoutExtension(file));
            }
        }
        return found;
    }

    [OneTimeSetUp]
    public async Task StartGateway()
    {
        _python = TestPython.Find();
        _gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
    }

    [OneTimeTearDown]
    public async Task StopGateway()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Suites))]
    public async Task Suite(string suite)
    {
        var gateway = _gateway ?? throw new InvalidOperationException("gateway not started");
        var output = TestContext.CurrentContext.TestDirectory;
        var testsDir = Path.Combine(output, "PythonTests");
        var sdkPyDir = Path.Combine(output, "PythonSdk");
        var sdkDir = Path.Combine(output, "DataNetSdk");
        Assert.That(File.Exists(Path.Combine(testsDir, suite + ".py")), Is.True, $"{suite}.py was not copied to {testsDir}");
        Assert.That(File.Exists(Path.Combine(sdkDir, "Python.Runtime.dll")), Is.True, $"Python.Runtime.dll missing from {sdkDir}");
        Assert.That(File.Exists(Path.Combine(sdkDir, "DataNet.Td.dll")), Is.True, $"DataNet.Td.dll missing from {sdkDir}");

        var home = Directory.CreateTempSubdirectory("datanet-pyhome-");
        try
        {
            var start = new ProcessStartInfo(_python)
            {
                WorkingDirectory = testsDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-X", "faulthandler", "-m", "unittest", "-v", suite })
            {
                start.ArgumentList.Add(arg);
            }
            var env = start.Environment;
            env["PYTHONPATH"] = testsDir + Path.PathSeparator + sdkPyDir;
            env["PYTHONDONTWRITEBYTECODE"] = "1";
            env["PYTHONUNBUFFERED"] = "1";
            env["DATANET_SDK_DIR"] = sdkDir;
            env["DATANET_TEST_PY_SDK"] = sdkPyDir;
            env["DATANET_TEST_API_URL"] = gateway.ApiUrl.ToString().TrimEnd('/');
            env["DATANET_TEST_WS_URL"] = gateway.WsUrl.ToString().TrimEnd('/');
            env["DATANET_TEST_PORT"] = gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Keep the machine's own key, credentials, profile and runtime choice out of the suites.
            env["HOME"] = home.FullName;
            env["USERPROFILE"] = home.FullName;
            env["XDG_CONFIG_HOME"] = Path.Combine(home.FullName, ".config");
            foreach (var name in new[] { "DATANET_API_KEY", "DATANET_CREDENTIALS", "DATANET_PROFILE", "DATANET_RUNTIME",
                                         "PYTHONNET_RUNTIME", "DATANET_API_URL", "DATANET_WS_URL" })
            {
                env.Remove(name);
            }

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

            string all;
            lock (gate)
            {
                all = text.ToString();
            }
            TestContext.Out.WriteLine(all);
            Assert.That(hung, Is.False, $"{suite} did not finish within {HangGuard}; output:\n{all}");
            Assert.That(process.ExitCode, Is.Zero, $"{suite} failed (exit {process.ExitCode}); output:\n{all}");
            Assert.That(all, Does.Contain("OK"), $"{suite} reported no OK line; output:\n{all}");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}

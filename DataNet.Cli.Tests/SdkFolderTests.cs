using System.Diagnostics;
using System.IO;

namespace DataNet.Cli.Tests;

/// <summary>
/// Builds the SDK folder with the documented command, then lets `datanet doctor` load it from plain
/// CPython 3.11 the way TouchDesigner does (zero-pip: the folder's own loader, hostfxr, Python.Runtime.dll).
/// </summary>
[TestFixture]
public sealed class SdkFolderTests : CliGatewayFixture
{
    [Test]
    public async Task BuiltFolderHasTheLayoutAndLoadsFromCPythonZeroPip()
    {
        var repository = Repository.Root;
        var python = TestPython.Find();
        var output = Directory.CreateTempSubdirectory("datanet-sdk-").FullName;
        try
        {
            await BuildSdkFolderAsync(repository, output);

            var environment = Environment;
            await using var doctor = await CliRun.RunAsync(environment, "doctor", "--sdk", output, "--python", python);

            Assert.That(await doctor.Exit, Is.Zero, doctor.ToString());
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] DataNet.Td.dll and dependencies").And.Contain("System.Text.Json.dll"));
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] Python.Runtime.dll"));
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] Loader"));
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] Guide").And.Contain("docs/touchdesigner.md"));
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] tox-source"), "the repository has tox-source/: the folder carries it");
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] Python ").And.Contain("3.11."));
            Assert.That(doctor.Output.Text, Does.Contain("[ ok ] Load from Python (zero-pip)").And.Contain("via zero-pip"));
            Assert.That(doctor.Output.Text, Does.Contain("0 failed"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task BuildSdkFolderAsync(string repository, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "sdk/DataNet.Sdk.csproj", "-c", "Release", "-nologo", "-v:q", $"-p:SdkOutput={output}/" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var build = Process.Start(start)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.That(build.ExitCode, Is.Zero, $"{await stdout}\n{await stderr}");
    }
}

using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataNet.Cli.Doctor;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Tests;

/// <summary>`datanet doctor`: every check printed, a plain fix under each failure, non-zero exit when any fails.</summary>
[TestFixture]
public sealed class DoctorCommandTests : CliGatewayFixture
{
    private string _scratch = string.Empty;

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("datanet-doctor-").FullName;

    [TearDown]
    public void DeleteScratch() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public async Task MissingSdkFolderFailsWithAFix()
    {
        var missing = Path.Combine(_scratch, "no-such-sdk");

        await using var run = await CliRun.RunAsync(Environment, "doctor", "--sdk", missing, "--python", Path.Combine(_scratch, "no-python"));

        Assert.That(await run.Exit, Is.EqualTo(1), run.ToString());
        var lines = run.Output.Text.Split('\n');
        var sdk = Array.FindIndex(lines, l => l.StartsWith("[FAIL] SDK folder", StringComparison.Ordinal));
        Assert.That(sdk, Is.GreaterThanOrEqualTo(0), run.ToString());
        Assert.That(lines[sdk], Does.Contain($"{missing} does not exist"));
        Assert.That(lines[sdk + 1], Does.Contain("fix: build it with ./build-sdk.sh"));
        Assert.That(run.Output.Text, Does.Contain("[FAIL] Python").And.Contain("no-python not found"));
        Assert.That(run.Output.Text, Does.Contain("[ ok ] API"), "the gateway of this fixture is reachable");
        Assert.That(run.Output.Text, Does.Contain("2 failed").And.Contain("fix the failures above."));
    }

    [Test]
    public async Task MissingRuntimeFailsWithAFix()
    {
        await using var run = await CliRun.RunAsync(Environment, "doctor", "--dotnet-root", _scratch, "--sdk", Path.Combine(_scratch, "none"));

        Assert.That(await run.Exit, Is.EqualTo(1), run.ToString());
        var lines = run.Output.Text.Split('\n');
        var runtime = Array.FindIndex(lines, l => l.StartsWith("[FAIL] .NET runtime", StringComparison.Ordinal));
        Assert.That(runtime, Is.GreaterThanOrEqualTo(0), run.ToString());
        Assert.That(lines[runtime], Does.Contain("no Microsoft.NETCore.App 8+").And.Contain("no host/fxr"));
        Assert.That(lines[runtime + 1], Does.Contain("fix: install the .NET Runtime 8 or newer"));
    }

    [Test]
    public async Task OldRuntimeOnlyFailsWithTheVersionsFound()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "host", "fxr", "6.0.36"));
        await File.WriteAllBytesAsync(Path.Combine(_scratch, "host", "fxr", "6.0.36", DotnetInstall.HostFxrFileName), []);
        Directory.CreateDirectory(Path.Combine(_scratch, "shared", "Microsoft.NETCore.App", "6.0.36"));

        var result = DotnetRuntimeCheck.Run(_scratch, "x64", CliConsole.Captured(TextWriter.Null, TextWriter.Null));

        Assert.That(result.Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(result.Detail, Does.Contain("only Microsoft.NETCore.App 6.0.36"));
    }

    [Test]
    public void RuntimeRunningTheTestsPasses()
    {
        var result = DotnetRuntimeCheck.Run(null, null, CliConsole.Captured(TextWriter.Null, TextWriter.Null));

        Assert.That(result.Outcome, Is.EqualTo(CheckOutcome.Passed), result.ToString());
        Assert.That(result.Detail, Does.Contain("Microsoft.NETCore.App"));
    }

    [Test]
    public async Task IncompleteSdkFolderNamesEveryMissingFile()
    {
        await File.WriteAllBytesAsync(Path.Combine(_scratch, SdkLayout.MainAssembly), []);
        await File.WriteAllBytesAsync(Path.Combine(_scratch, "Websocket.Client.dll"), []);
        await File.WriteAllTextAsync(Path.Combine(_scratch, SdkLayout.DependencyManifest), """
            {"targets":{".NETStandard,Version=v2.0/":{
              "DataNet.Td/0.1.0":{"runtime":{"DataNet.Td.dll":{}}},
              "Websocket.Client/5.5.1":{"runtime":{"lib/netstandard2.0/Websocket.Client.dll":{}}},
              "System.Text.Json/10.0.10":{"runtime":{"lib/netstandard2.0/System.Text.Json.dll":{}}}}}}
            """);

        var results = SdkFolderCheck.Run(_scratch);

        var byName = results.ToDictionary(r => r.Name);
        Assert.That(byName[SdkFolderCheck.FolderName].Outcome, Is.EqualTo(CheckOutcome.Passed));
        Assert.That(byName[SdkFolderCheck.AssembliesName].Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(byName[SdkFolderCheck.AssembliesName].Detail, Is.EqualTo("missing System.Text.Json.dll (of 3)"));
        Assert.That(byName[SdkFolderCheck.RuntimeName].Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(byName[SdkFolderCheck.LoaderName].Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(byName[SdkFolderCheck.RuntimeModuleName].Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(byName[SdkFolderCheck.ReadmeName].Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(byName[SdkFolderCheck.GuideName].Outcome, Is.EqualTo(CheckOutcome.Failed));
        Assert.That(byName[SdkFolderCheck.ToxSourceName].Outcome, Is.EqualTo(CheckOutcome.Skipped));
        Assert.That(results.Where(r => r.Outcome == CheckOutcome.Failed).Select(r => r.Fix), Has.All.Contain("build-sdk.sh"));
    }

    [Test]
    public async Task UnreachableApiFailsWithTheGatewayFix()
    {
        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = "http://127.0.0.1:9" };

        await using var run = await CliRun.RunAsync(environment, "doctor", "--sdk", _scratch, "--timeout", "3");

        Assert.That(await run.Exit, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output.Text, Does.Contain("[FAIL] API").And.Contain("cannot reach http://127.0.0.1:9"));
        Assert.That(run.Output.Text, Does.Contain("fix: start the local gateway with `datanet gateway`"));
    }

    [Test]
    public void BinaryArchitectureReadsThisRuntimesHostFxr()
    {
        var root = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var install = DotnetInstall.Inspect(root, "test");

        Assert.That(install.HostFxr, Is.Not.Null);
        Assert.That(
            install.HostFxrArchitecture,
            Is.EqualTo(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()));
    }
}

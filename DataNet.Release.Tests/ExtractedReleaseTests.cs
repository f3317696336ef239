using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace DataNet.Release.Tests;

/// <summary>
/// The linux-x64 archive as a user gets it: unpacked into an empty folder and run with no .NET on PATH and no
/// DOTNET_ROOT, so the self-contained `datanet` must carry its runtime. The doctor then loads the archive's SDK
/// folder from CPython 3.11 the zero-pip way (through the machine's .NET runtime, as TouchDesigner would).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ExtractedReleaseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> NoExtra = [];
    private string _scratch = "";
    private string _folder = "";
    private string _program = "";

    [OneTimeSetUp]
    public void Unpack()
    {
        Assume.That(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64, Is.True, "the linux-x64 archive runs on Linux x64 (CI)");
        _scratch = Directory.CreateTempSubdirectory("datanet-release-").FullName;
        var unpacked = Path.Combine(_scratch, "unpacked");
        ZipFile.ExtractToDirectory(ReleaseOutput.Archive("linux-x64"), unpacked);
        _folder = Path.Combine(unpacked, "DataNet");
        _program = Path.Combine(_folder, "datanet");
        Directory.CreateDirectory(Path.Combine(_scratch, "empty-path"));
        Directory.CreateDirectory(Path.Combine(_scratch, "home"));
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public async Task UnpackedProgramIsExecutableAndPrintsTheVersion()
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(_program) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute), "unzip keeps the x bit");
        }

        using var version = Start(NoExtra, "--version");

        Assert.That(await version.WaitAsync(Patience), Is.Zero, version.ToString());
        Assert.That(version.Output.Text, Does.StartWith(ReleaseOutput.Version), version.ToString());
    }

    [Test]
    public async Task GatewayPubSubAndDoctorRunWithoutDotnetOnPath()
    {
        using var gateway = Start(NoExtra, "gateway", "--port", "0");
        var port = await Eventually.ValueAsync(
            () => GatewayUrl().Match(gateway.Output.Text),
            match => match.Success || gateway.HasExited,
            Patience,
            "the gateway prints its URL");
        Assert.That(port.Success, Is.True, gateway.ToString());
        var api = new Dictionary<string, string> { ["DATANET_API_URL"] = port.Value };

        using var sub = Start(api, "sub", "release.check", "--json", "--count", "1");
        await Eventually.TrueAsync(() => sub.Error.Text.Contains("Listening on", StringComparison.Ordinal) || sub.HasExited, Patience, "sub is listening");
        Assert.That(sub.HasExited, Is.False, sub.ToString());

        using (var pub = Start(api, "pub", "release.check", "{\"n\":1}"))
        {
            Assert.That(await pub.WaitAsync(Patience), Is.Zero, pub.ToString());
        }

        Assert.That(await sub.WaitAsync(Patience), Is.Zero, sub.ToString());
        Assert.That(sub.Output.Text, Does.Contain("\"n\":1").And.Contain("release.check"), sub.ToString());

        using var doctor = Start(api, "doctor", "--sdk", _folder, "--python", TestPython.Executable());
        Assert.That(await doctor.WaitAsync(Patience), Is.Zero, doctor.ToString());
        Assert.That(doctor.Output.Text, Does.Contain("[ ok ] DataNet.Td.dll and dependencies"), doctor.ToString());
        Assert.That(doctor.Output.Text, Does.Contain("[ ok ] Load from Python (zero-pip)"), doctor.ToString());
        Assert.That(doctor.Output.Text, Does.Contain("[ ok ] API"), doctor.ToString());
        Assert.That(doctor.Output.Text, Does.Contain(" 0 failed"), doctor.ToString());
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:[0-9]+")]
    private static partial Regex GatewayUrl();

    /// <summary>The bare environment plus <paramref name="extra"/>: PATH has no dotnet, HOME is scratch, no DOTNET_*.</summary>
    private DatanetProcess Start(IReadOnlyDictionary<string, string> extra, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Path.Combine(_scratch, "empty-path"),
            ["HOME"] = Path.Combine(_scratch, "home"),
            ["DATANET_DEVICE_ID"] = "release-test",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return DatanetProcess.StartProgram(_program, environment, args);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace DataNet.Release;

/// <summary>
/// One release: the SDK folder once, one self-contained single-file `datanet` publish per platform, an archive per
/// platform, the framework-dependent `datanet` (.NET 8 or newer), and the NuGet packages. Every output name carries
/// the version; the output folder is emptied of earlier release files first.
/// Every step builds into one folder of its own (artifacts/obj/release/build, through MSBuild's ArtifactsPath) with
/// the same compiler settings (no DebugType=none for one step only), so the libraries compile once per framework for
/// the whole release, and the release never touches the bin/ and obj/ folders of the everyday build (which would
/// otherwise recompile after every release).
/// </summary>
internal sealed class ReleaseBuild(ReleaseSettings settings)
{
    /// <summary>Files from the repository that every archive carries at its top, beside the SDK folder's content.</summary>
    private static readonly (string Source, string Entry)[] TopFiles =
    [
        ("LICENSE", "LICENSE"),
        ("THIRD-PARTY-NOTICES.txt", "THIRD-PARTY-NOTICES.txt"),
        ("CHANGELOG.md", "CHANGELOG.md"),
        ("sdk/START-HERE.txt", "START-HERE.txt"),
    ];

    /// <summary>
    /// Files a self-contained publish leaves beside `datanet` that it never loads: ASP.NET Core's IIS in-process
    /// module (Windows), which only IIS loads; the gateway runs on Kestrel.
    /// </summary>
    private static readonly HashSet<string> NotNeeded = ["aspnetcorev2_inprocess.dll"];

    private readonly string _root = settings.RepositoryRoot;
    private readonly string _work = Path.Combine(settings.RepositoryRoot, "artifacts", "obj", "release");

    /// <summary>Files a publish leaves that nothing loads at run time: symbols and API docs (the packages carry those).</summary>
    private static readonly string[] DebugAndDocFiles = ["*.pdb", "*.xml"];
    private readonly List<string> _written = [];

    public async Task RunAsync()
    {
        var version = settings.Version ?? await Dotnet.ReadAsync(
            "reading the version", _root, ["msbuild", "DataNet.Td/DataNet.Td.csproj", "-getProperty:Version"]);
        Console.WriteLine($"DataNet release {version}: {string.Join(", ", settings.Platforms.Select(p => p.Rid))} -> {settings.Output}");
        CleanOutput();

        var sdkFolder = Path.Combine(_work, "sdk") + Path.DirectorySeparatorChar;
        await TimedAsync("SDK folder", () => Dotnet.RunAsync("building the SDK folder", _root,
            ["build", "sdk/DataNet.Sdk.csproj", .. Common(version), $"-p:SdkOutput={sdkFolder}"]));

        foreach (var platform in settings.Platforms)
        {
            var executable = "";
            await TimedAsync($"datanet for {platform.Rid}", async () => executable = await PublishSelfContainedAsync(platform, version));
            WriteArchive(platform, version, sdkFolder, executable);
        }

        await TimedAsync("framework-dependent datanet", () => PublishFrameworkDependentAsync(version));
        await TimedAsync("packages", () => PackAsync(version));

        Console.WriteLine();
        Console.WriteLine($"Release {version} written to {settings.Output}:");
        foreach (var file in _written)
        {
            Console.WriteLine($"  {Path.GetRelativePath(settings.Output, file),-48} {Megabytes(new FileInfo(file).Length)}");
        }
    }

    /// <summary>
    /// Arguments every dotnet call shares: Release, quiet, the version, a CI build (source paths mapped to /_/, so no
    /// folder of the building machine ends up in a DLL, a PDB or a stack trace), the release's own build folder, and
    /// no analyzers (they change no output, and every everyday build already ran them over the same sources).
    /// </summary>
    private IEnumerable<string> Common(string version) =>
        ["-c", "Release", "-nologo", "-v:q", $"-p:Version={version}", "-p:ContinuousIntegrationBuild=true",
         $"-p:ArtifactsPath={Path.Combine(_work, "build")}", "-p:RunAnalyzers=false"];

    private void CleanOutput()
    {
        Directory.CreateDirectory(settings.Output);
        var earlier = Directory.GetFiles(settings.Output, "DataNet-SDK-*.zip")
            .Concat(Directory.GetFiles(settings.Output, "datanet-*.zip"))
            .Concat(Directory.Exists(Nuget) ? Directory.GetFiles(Nuget, "*.*nupkg") : []);
        foreach (var file in earlier)
        {
            File.Delete(file);
        }
    }

    private string Nuget => Path.Combine(settings.Output, "nuget");

    /// <summary>
    /// `datanet` for one platform: self-contained (runtime packs from NuGet, no .NET install needed), one file,
    /// compressed. Not trimmed: ASP.NET Core (the embedded gateway) and System.Text.Json's reflection paths are
    /// not trim-safe, and a trimmed tool that fails on an artist's machine costs more than the megabytes.
    /// </summary>
    private async Task<string> PublishSelfContainedAsync(Platform platform, string version)
    {
        var folder = Path.Combine(_work, "datanet-" + platform.Rid);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        await Dotnet.RunAsync($"publishing datanet for {platform.Rid}", _root,
        [
            "publish", "DataNet.Cli/DataNet.Cli.csproj", .. Common(version), "-r", platform.Rid, "--self-contained",
            "-p:PublishSingleFile=true", "-p:EnableCompressionInSingleFile=true", "-o", folder,
        ]);
        DeleteDebugAndDocFiles(folder);
        var executable = Path.Combine(folder, platform.ExecutableName);
        if (!File.Exists(executable))
        {
            throw new ReleaseException($"publishing datanet for {platform.Rid} wrote no {platform.ExecutableName} in {folder}");
        }

        // A native library left beside the single file would be needed at run time but missing from the archive.
        var extra = Directory.GetFiles(folder).Select(Path.GetFileName)
            .Where(name => name is not null && name != platform.ExecutableName && !name.EndsWith(".json", StringComparison.Ordinal)
                && !NotNeeded.Contains(name))
            .ToArray();
        return extra.Length == 0
            ? executable
            : throw new ReleaseException($"datanet for {platform.Rid} is not a single file: {string.Join(", ", extra)} beside it");
    }

    /// <summary>
    /// Removes <see cref="DebugAndDocFiles"/> from a publish folder. Deleted after the publish rather than turned off
    /// for it (DebugType=none): a property on the command line reaches every referenced project and would make each
    /// step compile the libraries again.
    /// </summary>
    private static void DeleteDebugAndDocFiles(string folder)
    {
        foreach (var file in DebugAndDocFiles.SelectMany(pattern => Directory.GetFiles(folder, pattern)))
        {
            File.Delete(file);
        }
    }

    private void WriteArchive(Platform platform, string version, string sdkFolder, string executable)
    {
        var path = Path.Combine(settings.Output, $"DataNet-SDK-{version}-{platform.Rid}.zip");
        using (var archive = new ArchiveWriter(path, "DataNet"))
        {
            archive.AddFolder(sdkFolder, "");
            archive.AddFile(executable, platform.ExecutableName, executable: true);
            foreach (var (source, entry) in TopFiles)
            {
                archive.AddFile(Path.Combine(_root, source), entry, executable: false);
            }
        }

        _written.Add(path);
        Console.WriteLine($"{Path.GetFileName(path)}: {Megabytes(new FileInfo(path).Length)}");
    }

    /// <summary>
    /// `datanet` for any OS with the .NET 8 (or newer) runtime and ASP.NET Core runtime: run `dotnet datanet.dll`.
    /// Built for net8.0 (RollForward=Major lets it run on 9, 10, ...).
    /// </summary>
    private async Task PublishFrameworkDependentAsync(string version)
    {
        var folder = Path.Combine(_work, "datanet-portable");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        await Dotnet.RunAsync("publishing the framework-dependent datanet", _root,
        [
            "publish", "DataNet.Cli/DataNet.Cli.csproj", .. Common(version), "-f", "net8.0", "-p:DataNetAllFrameworks=true",
            "-p:UseAppHost=false", "-o", folder,
        ]);
        DeleteDebugAndDocFiles(folder);
        var path = Path.Combine(settings.Output, $"datanet-{version}-portable.zip");
        using (var archive = new ArchiveWriter(path, "datanet"))
        {
            archive.AddFolder(folder, "");
            archive.AddFile(Path.Combine(_root, "LICENSE"), "LICENSE", executable: false);
            archive.AddFile(Path.Combine(_root, "THIRD-PARTY-NOTICES.txt"), "THIRD-PARTY-NOTICES.txt", executable: false);
        }

        _written.Add(path);
    }

    /// <summary>DataNet.Td (with its .snupkg) and the DataNet.Cli .NET tool (net8.0 and net10.0).</summary>
    private async Task PackAsync(string version)
    {
        await Dotnet.RunAsync("packing DataNet.Td", _root, ["pack", "DataNet.Td/DataNet.Td.csproj", .. Common(version), "-o", Nuget]);
        await Dotnet.RunAsync("packing the datanet tool", _root,
            ["pack", "DataNet.Cli/DataNet.Cli.csproj", .. Common(version), "-p:DataNetAllFrameworks=true", "-o", Nuget]);
        _written.AddRange(Directory.GetFiles(Nuget, "*.*nupkg").Order(StringComparer.Ordinal));
    }

    /// <summary>Runs one step and prints how long it took (the figures docs/release.md quotes come from here).</summary>
    private static async Task TimedAsync(string step, Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await run();
        Console.WriteLine($"{step}: {clock.Elapsed.TotalSeconds:0} s");
    }

    private static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.0} MB";
}

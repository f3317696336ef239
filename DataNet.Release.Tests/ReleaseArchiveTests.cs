using System.IO;
using System.IO.Compression;
using System.Linq;

namespace DataNet.Release.Tests;

/// <summary>
/// The per-platform archives: each holds the SDK folder, the notices and a self-contained `datanet` that is a
/// native program of the platform's format and machine (checked from its headers: these tests run on Linux).
/// </summary>
[TestFixture]
public sealed class ReleaseArchiveTests
{
    private const string Root = "DataNet/";

    /// <summary>Entries every archive has, beside the program, the dependency DLLs and the repository's folders.</summary>
    private static readonly string[] FixedEntries =
    [
        "LICENSE", "THIRD-PARTY-NOTICES.txt", "CHANGELOG.md", "START-HERE.txt", "README.txt",
        "DataNet.Td.dll", "DataNet.Td.deps.json", "Python.Runtime.dll", "System.Text.Json.dll", "Microsoft.Bcl.TimeProvider.dll",
    ];

    [TestCase("win-x64", "datanet.exe", "PE", "x64")]
    [TestCase("osx-arm64", "datanet", "Mach-O", "arm64")]
    [TestCase("osx-x64", "datanet", "Mach-O", "x64")]
    [TestCase("linux-x64", "datanet", "ELF", "x64")]
    public void DatanetIsASelfContainedProgramOfThePlatform(string rid, string program, string format, string machine)
    {
        using var archive = ZipFile.OpenRead(ReleaseOutput.Archive(rid));
        var entry = archive.GetEntry(Root + program);
        Assert.That(entry, Is.Not.Null, $"{Root}{program} in the {rid} archive");

        using var stream = entry!.Open();
        var executable = NativeExecutable.Read(NativeExecutable.Head(stream));

        Assert.That((executable.Format, executable.Machine), Is.EqualTo((format, machine)), $"{program} for {rid}");
        // The runtime travels inside the single file: tens of megabytes, where a framework-dependent apphost is < 1 MB.
        Assert.That(entry.Length, Is.GreaterThan(20 * 1024 * 1024), "self-contained: the .NET runtime is inside");
        if (format == "Mach-O")
        {
            Assert.That(executable.HasCodeSignature, Is.True, "macOS on Apple silicon kills an unsigned program: it needs at least an ad-hoc signature");
        }

        if (format != "PE")
        {
            Assert.That((entry.ExternalAttributes >> 16) & 0x1FF, Is.EqualTo(0b111_101_101), "rwxr-xr-x, so unzip leaves it runnable");
        }
    }

    [TestCase("win-x64", "datanet.exe")]
    [TestCase("osx-arm64", "datanet")]
    [TestCase("osx-x64", "datanet")]
    [TestCase("linux-x64", "datanet")]
    public void ArchiveHoldsTheSdkFolderTheProgramAndTheNotices(string rid, string program)
    {
        using var archive = ZipFile.OpenRead(ReleaseOutput.Archive(rid));
        var names = archive.Entries.Select(e => e.FullName).ToArray();

        Assert.That(names, Is.All.StartsWith(Root), "one folder, named as the guide says to place it");
        var inFolder = names.Select(n => n[Root.Length..]).ToArray();
        var repository = Repository.Root;
        var expected = FixedEntries
            .Append(program)
            .Concat(RepositoryFiles(repository, "python", "*.py"))
            .Concat(RepositoryFiles(repository, "tox-source", "*"))
            .Concat(RepositoryFiles(repository, "docs", "*.md"))
            .Concat(RepositoryFiles(repository, "docs/pictures", "*.svg"))
            .ToArray();
        Assert.That(inFolder, Is.SupersetOf(expected));

        // Everything else is DataNet.Td's dependency closure beside it (and its PDB and XML docs): no build leftovers.
        var others = inFolder.Except(expected).ToArray();
        Assert.That(others, Is.All.Matches<string>(n => !n.Contains('/', StringComparison.Ordinal)
            && (n.EndsWith(".dll", StringComparison.Ordinal) || n is "DataNet.Td.pdb" or "DataNet.Td.xml")), string.Join(", ", others));
        Assert.That(inFolder, Has.None.Contains("__pycache__").And.None.EndsWith(".runtimeconfig.json"));
    }

    [Test]
    public void EveryArchiveHoldsTheSameFilesApartFromTheProgramsName()
    {
        string[] Listing(string rid)
        {
            using var archive = ZipFile.OpenRead(ReleaseOutput.Archive(rid));
            return archive.Entries.Select(e => e.FullName.Replace("datanet.exe", "datanet", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        }

        var linux = Listing("linux-x64");
        Assert.Multiple(() =>
        {
            foreach (var rid in new[] { "win-x64", "osx-arm64", "osx-x64" })
            {
                Assert.That(Listing(rid), Is.EqualTo(linux), rid);
            }
        });
    }

    /// <summary>The repository's files under a folder as archive paths (folder/relative), build leftovers excluded.</summary>
    private static string[] RepositoryFiles(string repository, string folder, string pattern) =>
        Directory.GetFiles(Path.Combine(repository, folder), pattern, folder.StartsWith("docs", StringComparison.Ordinal) ? SearchOption.TopDirectoryOnly : SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repository, f).Replace('\\', '/'))
            .Where(f => !f.Contains("__pycache__", StringComparison.Ordinal) && !f.EndsWith(".pyc", StringComparison.Ordinal))
            .ToArray();
}

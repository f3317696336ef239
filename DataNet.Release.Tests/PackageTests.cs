using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace DataNet.Release.Tests;

/// <summary>
/// What the release build packs for .NET engineers: the DataNet.Td package (readme, license, docs, dependencies,
/// symbols, no build-machine paths), the datanet .NET tool (.NET 8 and 10), and the framework-dependent datanet.
/// </summary>
[TestFixture]
public sealed class PackageTests
{
    private static string TdPackage => ReleaseOutput.File($"nuget/DataNet.Td.{ReleaseOutput.Version}.nupkg");

    [Test]
    public void TdPackageHasReadmeLicenseTagsRepositoryAndXmlDocs()
    {
        using var package = ZipFile.OpenRead(TdPackage);
        var metadata = Metadata(package, "DataNet.Td.nuspec");

        Assert.That(Element(metadata, "readme"), Is.EqualTo("README.md"));
        Assert.That(Text(package, "README.md"), Does.Contain("Poll()").And.Contain("using DataNet.Td;"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.That((license.Attribute("type")?.Value, license.Value), Is.EqualTo(("expression", "MIT")));
        Assert.That(Element(metadata, "tags"), Does.Contain("touchdesigner"));
        Assert.That(Element(metadata, "description"), Is.Not.Empty);
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.That(repository.Attribute("type")?.Value, Is.EqualTo("git"));
        Assert.That(repository.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), "the commit the package was built from");
        Assert.That(package.GetEntry("lib/netstandard2.0/DataNet.Td.dll"), Is.Not.Null);
        Assert.That(Text(package, "lib/netstandard2.0/DataNet.Td.xml"), Does.Contain("M:DataNet.Td.DataNetClient.Poll"));
    }

    [Test]
    public void TdPackageDependsOnExactlyTheCentralVersions()
    {
        using var package = ZipFile.OpenRead(TdPackage);
        var group = Metadata(package, "DataNet.Td.nuspec").Descendants().Single(e => e.Name.LocalName == "group");
        var central = XDocument.Load(Path.Combine(Repository.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);

        Assert.That(group.Attribute("targetFramework")?.Value, Is.EqualTo(".NETStandard2.0"));
        var dependencies = group.Elements().Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value)).Order().ToArray();
        var expected = new[] { "Microsoft.Bcl.TimeProvider", "System.Text.Json" }.Select(id => (id, central[id])).ToArray();
        Assert.That(dependencies, Is.EqualTo(expected));
    }

    [Test]
    public void SymbolsPackageHoldsThePortablePdbAndNoBuildMachinePaths()
    {
        using var symbols = ZipFile.OpenRead(ReleaseOutput.File($"nuget/DataNet.Td.{ReleaseOutput.Version}.snupkg"));
        using var package = ZipFile.OpenRead(TdPackage);
        var dll = Bytes(package, "lib/netstandard2.0/DataNet.Td.dll");
        using var pdb = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Bytes(symbols, "lib/netstandard2.0/DataNet.Td.pdb")));
        var reader = pdb.GetMetadataReader();
        var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToArray();
        using var pe = new PEReader(new MemoryStream(dll));
        var codeView = pe.ReadCodeViewDebugDirectoryData(pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView));

        // A CI build maps source paths to /_/: the packing machine's folders never reach a stack trace.
        Assert.That(documents, Is.Not.Empty.And.All.StartsWith("/_/"), "source paths in the PDB");
        Assert.That(documents.Where(d => !d.Contains("/obj/", StringComparison.Ordinal)), Is.Not.Empty.And.All.StartsWith("/_/DataNet.Td/"),
            "the library's own sources (the rest are generated into the build folder)");
        Assert.That(codeView.Path, Does.StartWith("/_/"), "the PDB path recorded in the DLL");
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.Unicode })
        {
            Assert.That(dll.AsSpan().IndexOf(encoding.GetBytes(Repository.Root)), Is.EqualTo(-1), $"the DLL names no build folder ({encoding.WebName})");
        }
    }

    [Test]
    public void ToolPackageIsADotnetToolForNet8AndNet10()
    {
        using var package = ZipFile.OpenRead(ReleaseOutput.File($"nuget/DataNet.Cli.{ReleaseOutput.Version}.nupkg"));
        var metadata = Metadata(package, "DataNet.Cli.nuspec");

        Assert.That(metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")?.Value), Does.Contain("DotnetTool"));
        Assert.That(Element(metadata, "readme"), Is.EqualTo("README.md"));
        Assert.That(package.GetEntry("THIRD-PARTY-NOTICES.txt"), Is.Not.Null, "the tool package carries its dependencies' DLLs");
        foreach (var framework in new[] { "net8.0", "net10.0" })
        {
            Assert.That(Text(package, $"tools/{framework}/any/DotnetToolSettings.xml"), Does.Contain("<Command Name=\"datanet\" EntryPoint=\"datanet.dll\""), framework);
        }
    }

    [Test]
    public async Task PortableDatanetTargetsNet8RollsForwardAndRunsHere()
    {
        var scratch = Directory.CreateTempSubdirectory("datanet-portable-").FullName;
        try
        {
            ZipFile.ExtractToDirectory(ReleaseOutput.File($"datanet-{ReleaseOutput.Version}-portable.zip"), scratch);
            var folder = Path.Combine(scratch, "datanet");
            using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "datanet.runtimeconfig.json")));
            var options = config.RootElement.GetProperty("runtimeOptions");
            var frameworks = options.GetProperty("frameworks").EnumerateArray()
                .Select(f => (f.GetProperty("name").GetString(), f.GetProperty("version").GetString())).ToArray();

            Assert.That(options.GetProperty("tfm").GetString(), Is.EqualTo("net8.0"));
            Assert.That(options.GetProperty("rollForward").GetString(), Is.EqualTo("Major"), "runs on .NET 9, 10, ... when 8 is absent");
            Assert.That(frameworks, Does.Contain(("Microsoft.NETCore.App", "8.0.0")).And.Contain(("Microsoft.AspNetCore.App", "8.0.0")));

            // This machine has only a newer .NET: the net8.0 build runs by rolling forward.
            var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
            var environment = new Dictionary<string, string> { ["HOME"] = scratch, ["PATH"] = scratch };
            using var version = DatanetProcess.StartProgram(host, environment, Path.Combine(folder, "datanet.dll"), "--version");
            Assert.That(await version.WaitAsync(TimeSpan.FromSeconds(60)), Is.Zero, version.ToString());
            Assert.That(version.Output.Text, Does.StartWith(ReleaseOutput.Version));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static XElement Metadata(ZipArchive package, string nuspec)
    {
        using var stream = new MemoryStream(Bytes(package, nuspec)); // the loader, unlike Parse, skips the BOM
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Element(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

    private static string Text(ZipArchive package, string entry) => Encoding.UTF8.GetString(Bytes(package, entry));

    private static byte[] Bytes(ZipArchive package, string entry)
    {
        var found = package.GetEntry(entry);
        Assert.That(found, Is.Not.Null, $"{entry} in the package");
        using var stream = found!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DataNet.Cli.Doctor;

/// <summary>Checks a folder against <see cref="SdkLayout"/>: one result per entry of the layout.</summary>
internal static class SdkFolderCheck
{
    public const string FolderName = "SDK folder";
    public const string AssembliesName = "DataNet.Td.dll and dependencies";
    public const string RuntimeName = "Python.Runtime.dll";
    public const string LoaderName = "Loader";
    public const string RuntimeModuleName = "Runtime module";
    public const string ReadmeName = "README.txt";
    public const string GuideName = "Guide";
    public const string ToxSourceName = "tox-source";

    private static readonly string Rebuild =
        $"rebuild the folder with {SdkLayout.BuildCommand}, or download the complete release folder again";

    public static IReadOnlyList<CheckResult> Run(string? folder)
    {
        if (folder is null)
        {
            return [CheckResult.Skip(FolderName, "not checked", $"pass --sdk DIR (the folder with {SdkLayout.MainAssembly}; {SdkLayout.BuildCommand} writes {SdkLayout.DefaultFolder})")];
        }

        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return [CheckResult.Fail(FolderName, $"{full} does not exist", $"build it with {SdkLayout.BuildCommand} (it writes {SdkLayout.DefaultFolder}), or download the release folder, then pass --sdk DIR")];
        }

        return
        [
            CheckResult.Pass(FolderName, full),
            CheckAssemblies(full),
            CheckFile(full, SdkLayout.PythonRuntime, RuntimeName, "zero-pip mode starts pythonnet from it; it comes from the pythonnet 3.x NuGet package"),
            CheckFile(full, SdkLayout.Loader, LoaderName, "TouchDesigner runs it from a Text DAT named DataNet"),
            CheckFile(full, SdkLayout.Runtime, RuntimeModuleName, "the loader imports it to load .NET (a Text DAT named datanet_runtime)"),
            CheckFile(full, SdkLayout.Readme, ReadmeName, "it tells the artist what the folder is"),
            CheckFile(full, SdkLayout.Guide, GuideName, "the component's Help pulse opens it"),
            Directory.Exists(Path.Combine(full, SdkLayout.ToxSourceFolder))
                ? CheckResult.Pass(ToxSourceName, Path.Combine(full, SdkLayout.ToxSourceFolder))
                : CheckResult.Skip(ToxSourceName, "not included (only needed to rebuild DataNet.tox inside TouchDesigner)"),
        ];
    }

    private static CheckResult CheckAssemblies(string folder)
    {
        if (!File.Exists(Path.Combine(folder, SdkLayout.MainAssembly)))
        {
            return CheckResult.Fail(AssembliesName, $"{SdkLayout.MainAssembly} is missing", Rebuild);
        }

        var manifest = Path.Combine(folder, SdkLayout.DependencyManifest);
        if (!File.Exists(manifest))
        {
            return CheckResult.Fail(AssembliesName, $"{SdkLayout.DependencyManifest} is missing, so the dependencies cannot be checked", Rebuild);
        }

        IReadOnlyList<string> needed;
        try
        {
            needed = RuntimeAssemblies(File.ReadAllText(manifest));
        }
        catch (JsonException e)
        {
            return CheckResult.Fail(AssembliesName, $"{SdkLayout.DependencyManifest} is not valid JSON ({e.Message})", Rebuild);
        }

        var missing = needed.Where(name => !File.Exists(Path.Combine(folder, name))).ToArray();
        return missing.Length == 0
            ? CheckResult.Pass(AssembliesName, $"all {needed.Count} present ({string.Join(", ", needed)})")
            : CheckResult.Fail(AssembliesName, $"missing {string.Join(", ", missing)} (of {needed.Count})", Rebuild);
    }

    /// <summary>File names of every runtime assembly in a deps.json (all targets), sorted, without duplicates.</summary>
    internal static IReadOnlyList<string> RuntimeAssemblies(string depsJson)
    {
        using var document = JsonDocument.Parse(depsJson);
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Object)
        {
            foreach (var target in targets.EnumerateObject())
            {
                if (target.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var library in target.Value.EnumerateObject())
                {
                    if (library.Value.ValueKind == JsonValueKind.Object
                        && library.Value.TryGetProperty("runtime", out var runtime)
                        && runtime.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var asset in runtime.EnumerateObject())
                        {
                            names.Add(Path.GetFileName(asset.Name));
                        }
                    }
                }
            }
        }

        return [.. names];
    }

    private static CheckResult CheckFile(string folder, string relative, string name, string why) =>
        File.Exists(Path.Combine(folder, relative))
            ? CheckResult.Pass(name, relative)
            : CheckResult.Fail(name, $"{relative} is missing ({why})", Rebuild);
}

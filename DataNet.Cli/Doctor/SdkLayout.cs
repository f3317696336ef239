namespace DataNet.Cli.Doctor;

/// <summary>
/// The SDK folder an artist downloads, as <c>sdk/DataNet.Sdk.csproj</c> (<c>./build-sdk.sh</c>) writes it.
/// <c>datanet doctor --sdk</c> checks exactly these entries.
/// </summary>
internal static class SdkLayout
{
    public const string MainAssembly = "DataNet.Td.dll";

    /// <summary>Lists every dependency DLL the main assembly needs (written by dotnet publish).</summary>
    public const string DependencyManifest = "DataNet.Td.deps.json";

    /// <summary>pythonnet's runtime, started by the loader in zero-pip mode.</summary>
    public const string PythonRuntime = "Python.Runtime.dll";

    public const string PythonFolder = "python";

    /// <summary>The loader TD runs from a Text DAT; relative to the SDK folder.</summary>
    public const string Loader = "python/DataNet.py";

    /// <summary>The .NET side of the loader (route, hostfxr, pythonnet), which DataNet.py imports; relative to the SDK folder.</summary>
    public const string Runtime = "python/datanet_runtime.py";

    public const string ToxSourceFolder = "tox-source";

    /// <summary>The TouchDesigner guide; the component's Help pulse opens it from the SDK folder.</summary>
    public const string Guide = "docs/touchdesigner.md";

    public const string Readme = "README.txt";

    public const string DefaultFolder = "dist/DataNet-SDK";

    public const string BuildCommand = "./build-sdk.sh (or: dotnet build sdk/DataNet.Sdk.csproj -c Release)";
}

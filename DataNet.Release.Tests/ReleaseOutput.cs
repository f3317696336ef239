using System.IO;
using System.Reflection;

namespace DataNet.Release.Tests;

/// <summary>
/// Where the release build wrote (./build-release.sh, which ./test.sh runs before the tests: the archives take
/// minutes to build, longer than a test should), and the version the archives must carry: this repository's.
/// </summary>
internal static class ReleaseOutput
{
    /// <summary>$DATANET_RELEASE_DIR, else artifacts/release in the repository (the release build's default).</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("DATANET_RELEASE_DIR") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Repository.Root, "artifacts", "release");

    /// <summary>Directory.Build.props' Version, as compiled into this assembly (without the +commit suffix).</summary>
    public static string Version =>
        typeof(ReleaseOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>A file of the release; a missing one fails with what to run.</summary>
    public static string File(string relativePath)
    {
        var path = Path.Combine(Folder, relativePath);
        if (!System.IO.File.Exists(path))
        {
            Assert.Fail($"{path} is missing: build the release first with ./build-release.sh (./test.sh does)");
        }

        return path;
    }

    public static string Archive(string rid) => File($"DataNet-SDK-{Version}-{rid}.zip");
}

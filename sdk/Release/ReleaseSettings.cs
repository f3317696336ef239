using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DataNet.Release;

/// <summary>What one run builds and where it writes. Every option is optional.</summary>
internal sealed record ReleaseSettings(string RepositoryRoot, string Output, IReadOnlyList<Platform> Platforms, string? Version, bool ShowHelp)
{
    public const string Usage =
        """
        usage: build-release.sh [--output DIR] [--rid RID]... [--version X.Y.Z]
          --output DIR    where the archives and packages go (default: artifacts/release in the repository)
          --rid RID       one platform (repeatable): win-x64, osx-arm64, osx-x64, linux-x64 (default: all four)
          --version X     the version stamped on everything (default: <Version> in Directory.Build.props)
        """;

    public static ReleaseSettings Parse(IReadOnlyList<string> args)
    {
        var root = FindRepositoryRoot();
        string? output = null;
        string? version = null;
        var platforms = new List<Platform>();
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--output":
                    output = Value(args, ref i);
                    break;
                case "--rid":
                    platforms.Add(Platform.Find(Value(args, ref i)));
                    break;
                case "--version":
                    version = Value(args, ref i);
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return new ReleaseSettings(
            root,
            Path.GetFullPath(output ?? Path.Combine(root, "artifacts", "release")),
            platforms.Count == 0 ? Platform.All : platforms.Distinct().ToArray(),
            version,
            help);
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal)
            ? args[i]
            : throw new ArgumentException($"{args[i - 1]} needs a value");

    /// <summary>The checkout this tool was started from (the folder holding DataNet.sln), searched upward from here.</summary>
    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DataNet.sln")))
            {
                return folder.FullName;
            }
        }

        throw new ArgumentException("run it inside the repository (DataNet.sln not found above the current folder)");
    }
}

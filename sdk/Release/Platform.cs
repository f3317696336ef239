using System;
using System.Collections.Generic;
using System.Linq;

namespace DataNet.Release;

/// <summary>A platform an archive is built for: its .NET runtime identifier and what `datanet` is called there.</summary>
internal sealed record Platform(string Rid)
{
    /// <summary>The artists' platforms (TouchDesigner runs on Windows x64 and macOS) and linux-x64, which CI runs.</summary>
    public static IReadOnlyList<Platform> All { get; } =
        [new("win-x64"), new("osx-arm64"), new("osx-x64"), new("linux-x64")];

    public string ExecutableName => Rid.StartsWith("win-", StringComparison.Ordinal) ? "datanet.exe" : "datanet";

    public static Platform Find(string rid) =>
        All.FirstOrDefault(p => p.Rid == rid)
        ?? throw new ArgumentException($"unknown platform '{rid}'; known: {string.Join(", ", All.Select(p => p.Rid))}");
}

using System;
using System.Collections.Generic;
using System.IO;

namespace DataNet.Gateway.Web;

/// <summary>
/// The page's files, embedded in DataNet.Gateway by the build (DataNet.Gateway.csproj): the hand-written page and
/// uPlot's dist files from npm. Read once; served from memory, so the single-file <c>datanet</c> needs no folder.
/// </summary>
internal sealed class PageAssets
{
    /// <summary>Resource names start with this; the rest is the file name served under <c>/web/</c>.</summary>
    public const string ResourcePrefix = "web/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private readonly Dictionary<string, PageAsset> _files = new(StringComparer.Ordinal);

    public PageAssets()
    {
        var assembly = typeof(PageAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[ResourcePrefix.Length..];
            _files[file] = new PageAsset(copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"));
        }
        if (!_files.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("The web page is not embedded in DataNet.Gateway: rebuild it (its build runs npm ci in DataNet.Gateway/Web).");
        }
    }

    public PageAsset? Find(string file) => _files.GetValueOrDefault(file);
}

/// <summary>One embedded file and its content type.</summary>
internal sealed record PageAsset(byte[] Bytes, string ContentType);

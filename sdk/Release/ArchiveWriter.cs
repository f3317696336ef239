using System;
using System.IO;
using System.IO.Compression;

namespace DataNet.Release;

/// <summary>
/// Writes a zip whose entries carry Unix permissions (0755 for programs, 0644 for the rest) whatever OS builds it:
/// `unzip` and macOS's Archive Utility then leave `datanet` executable.
/// </summary>
internal sealed class ArchiveWriter : IDisposable
{
    private const int RegularFile = 0x8000; // S_IFREG
    private readonly ZipArchive _zip;
    private readonly string _root;

    public ArchiveWriter(string path, string root)
    {
        File.Delete(path);
        _zip = ZipFile.Open(path, ZipArchiveMode.Create);
        _root = root.TrimEnd('/') + "/";
    }

    /// <summary>Adds every file under <paramref name="folder"/> at <paramref name="entryFolder"/>, in a stable order.</summary>
    public void AddFolder(string folder, string entryFolder)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            AddFile(file, entryFolder.Length == 0 ? relative : $"{entryFolder.TrimEnd('/')}/{relative}", executable: false);
        }
    }

    public void AddFile(string file, string entryName, bool executable)
    {
        var entry = _zip.CreateEntry(_root + entryName, CompressionLevel.Optimal);
        entry.ExternalAttributes = (RegularFile | (executable ? 0b111_101_101 : 0b110_100_100)) << 16;
        entry.LastWriteTime = File.GetLastWriteTime(file);
        using var source = File.OpenRead(file);
        using var target = entry.Open();
        source.CopyTo(target);
    }

    public void Dispose() => _zip.Dispose();
}

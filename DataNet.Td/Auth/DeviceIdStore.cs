using System;
using System.IO;
using System.Security;

namespace DataNet.Td.Auth;

/// <summary>
/// A stable device id kept in a user-level file, so TD restarts reuse one device slot instead of burning the plan's
/// device cap (<c>device_limit_reached</c> is fatal). Falls back to a per-process id when the file cannot be used.
/// </summary>
internal static class DeviceIdStore
{
    private static readonly object Gate = new();
    private static string? _processFallback;

    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "DataNet", "device-id");

    public static string GetOrCreate(string path)
    {
        lock (Gate)
        {
            try
            {
                if (File.Exists(path))
                {
                    var existing = File.ReadAllText(path).Trim();
                    if (existing.Length is > 0 and <= 128)
                    {
                        return existing;
                    }
                }

                var created = NewId();
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, created);
                return created;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecurityException or NotSupportedException or ArgumentException)
            {
                return _processFallback ??= NewId();
            }
        }
    }

    private static string NewId() => "td-" + Guid.NewGuid().ToString("N");
}

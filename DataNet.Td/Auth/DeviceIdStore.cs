using System;
using System.IO;
using System.Security;

namespace DataNet.Td.Auth;

/// <summary>
/// A stable device id kept in a user-level file, so TD restarts reuse one device slot instead of burning the plan's
/// device cap (<c>device_limit_reached</c> is fatal). Falls back to a per-process id when the file cannot be used.
/// Other programs on the same machine (the <c>datanet</c> tool) keep their own id in their own file and prefix.
/// </summary>
internal static class DeviceIdStore
{
    /// <summary>The prefix of TouchDesigner's ids.</summary>
    public const string TdPrefix = "td-";

    private static readonly object Gate = new();
    private static readonly System.Collections.Generic.Dictionary<string, string> ProcessFallbacks = new(StringComparer.Ordinal);

    public static string DefaultPath => PathFor("device-id");

    /// <summary>A file in the per-user DataNet folder (the application-data folder's <c>DataNet</c>).</summary>
    public static string PathFor(string fileName) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "DataNet", fileName);

    public static string GetOrCreate(string path, string prefix = TdPrefix)
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

                var created = NewId(prefix);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, created);
                return created;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecurityException or NotSupportedException or ArgumentException)
            {
                if (!ProcessFallbacks.TryGetValue(prefix, out var fallback))
                {
                    fallback = NewId(prefix);
                    ProcessFallbacks[prefix] = fallback;
                }

                return fallback;
            }
        }
    }

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");
}

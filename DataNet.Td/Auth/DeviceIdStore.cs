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

    private const string DeviceIdFile = "device-id";

    private static readonly object Gate = new();
    private static readonly System.Collections.Generic.Dictionary<string, string> ProcessFallbacks = new(StringComparer.Ordinal);

    /// <summary>TouchDesigner's id file; null when the user has no folder for it.</summary>
    public static string? DefaultPath => PathFor(DeviceIdFile);

    /// <summary>A file in the per-user DataNet folder (the application-data folder's <c>DataNet</c>); null when there is none.</summary>
    public static string? PathFor(string fileName) => PathFrom(Environment.GetFolderPath, fileName);

    /// <summary>TouchDesigner's id file from a folder lookup (see <see cref="PathFrom"/>).</summary>
    internal static string? DefaultPathFrom(Func<Environment.SpecialFolder, Environment.SpecialFolderOption, string> folder) =>
        PathFrom(folder, DeviceIdFile);

    /// <summary>
    /// A file in the per-user DataNet folder, from a folder lookup. Never a relative path: on macOS and Linux the
    /// application-data folder (<c>~/.config</c>) often does not exist yet, and the lookup then returns "" unless told
    /// not to verify; a relative path would put the file in whatever folder TD was started from.
    /// </summary>
    internal static string? PathFrom(Func<Environment.SpecialFolder, Environment.SpecialFolderOption, string> folder, string fileName)
    {
        var root = folder(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (!IsAbsolute(root))
        {
            var home = folder(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
            root = IsAbsolute(home) ? Path.Combine(home, ".config") : null;
        }

        return root is null ? null : Path.Combine(root, "DataNet", fileName);
    }

    /// <summary>The id kept at <paramref name="path"/>, created on first use; a per-process id when there is no usable file.</summary>
    public static string GetOrCreate(string? path, string prefix = TdPrefix)
    {
        lock (Gate)
        {
            if (path is null)
            {
                return ProcessFallback(prefix);
            }

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
                return ProcessFallback(prefix);
            }
        }
    }

    private static string ProcessFallback(string prefix)
    {
        if (!ProcessFallbacks.TryGetValue(prefix, out var fallback))
        {
            fallback = NewId(prefix);
            ProcessFallbacks[prefix] = fallback;
        }

        return fallback;
    }

    private static bool IsAbsolute(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathRooted(path);

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");
}

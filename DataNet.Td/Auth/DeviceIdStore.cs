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

    /// <summary><c>DataNet/device-id</c> under the user's application-data folder; null when there is no such folder.</summary>
    public static string? DefaultPath => DefaultPathFrom(Environment.GetFolderPath);

    /// <summary>
    /// The default path from a folder lookup. Never a relative path: on macOS and Linux the application-data folder
    /// (<c>~/.config</c>) often does not exist yet, and the lookup then returns "" unless told not to verify; a
    /// relative path would put the file in whatever folder TD was started from.
    /// </summary>
    internal static string? DefaultPathFrom(Func<Environment.SpecialFolder, Environment.SpecialFolderOption, string> folder)
    {
        var root = folder(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (!IsAbsolute(root))
        {
            var home = folder(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
            root = IsAbsolute(home) ? Path.Combine(home, ".config") : null;
        }

        return root is null ? null : Path.Combine(root, "DataNet", "device-id");
    }

    /// <summary>The id kept at <paramref name="path"/>, created on first use; a per-process id when there is no usable file.</summary>
    public static string GetOrCreate(string? path)
    {
        lock (Gate)
        {
            if (path is null)
            {
                return _processFallback ??= NewId();
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

    private static bool IsAbsolute(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathRooted(path);

    private static string NewId() => "td-" + Guid.NewGuid().ToString("N");
}

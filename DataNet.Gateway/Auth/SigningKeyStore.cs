using System;
using System.IO;
using System.Security;
using System.Security.Cryptography;

namespace DataNet.Gateway.Auth;

/// <summary>
/// The HS256 signing key: random per gateway, or kept in a file so that tokens a client saved stay valid
/// when the gateway process restarts (the official SDKs reconnect with their unexpired token).
/// The file holds the key in base64, is created on first use and, on Unix, is readable by its owner only.
/// </summary>
internal static class SigningKeyStore
{
    private const int KeyBytes = 32;

    /// <summary>The key from <paramref name="path"/> (created when missing), or a fresh random key when the path is null.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or written, or does not hold a key.</exception>
    public static byte[] LoadOrCreate(string? path)
    {
        if (path is null)
        {
            return RandomNumberGenerator.GetBytes(KeyBytes);
        }

        try
        {
            return File.Exists(path) ? Read(path) : Create(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException)
        {
            // No inner exception: an IOException inside means "cannot bind" to callers of LocalGateway.StartAsync.
            throw new InvalidOperationException($"Cannot use the signing key file '{path}': {e.Message.TrimEnd('.')}.");
        }
    }

    private static byte[] Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var length) || length < KeyBytes)
        {
            // Never echo the file's content: it is a secret.
            throw new InvalidOperationException(
                $"The signing key file '{path}' does not hold a base64 key of at least {KeyBytes} bytes; delete it to make a new one.");
        }

        return buffer[..length];
    }

    private static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        return key;
    }
}

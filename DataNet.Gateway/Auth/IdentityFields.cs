using DataNet.Gateway.Logging;

namespace DataNet.Gateway.Auth;

/// <summary>
/// Bounds on what a caller may put in a token's identity (<c>deviceId</c>, <c>clientId</c>, <c>deviceName</c>):
/// at most <see cref="MaxLength"/> characters, none of them control, format or separator characters. The
/// values are signed into every token and logged, so a newline would forge log lines and 60 KB would make a
/// token the gateway itself cannot accept in a header.
/// </summary>
internal static class IdentityFields
{
    /// <summary>Longest deviceId, clientId or deviceName, in UTF-16 characters.</summary>
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="value"/> is acceptable; otherwise why not (naming the field, never the value).</summary>
    public static string? Check(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > MaxLength)
        {
            return $"\"{field}\" is longer than {MaxLength} characters";
        }
        return LogText.IsPrintable(value) ? null : $"\"{field}\" holds control, format or separator characters";
    }
}

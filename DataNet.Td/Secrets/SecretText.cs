using System;

namespace DataNet.Td.Secrets;

/// <summary>
/// Masks secrets (the API key, a token) in text a host can show. Always mask first and cut afterwards: a cut made
/// first can leave a prefix of a secret that no longer matches it.
/// </summary>
internal static class SecretText
{
    public const string Mask = "***";

    /// <summary>The text with every non-empty secret replaced by <see cref="Mask"/>.</summary>
    public static string Apply(string text, string? secret, string? otherSecret = null)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, Mask);
        }

        if (!string.IsNullOrEmpty(otherSecret))
        {
            text = text.Replace(otherSecret, Mask);
        }

        return text;
    }

    /// <summary>
    /// Server text made fit to show: <paramref name="secret"/> masked first, then cut to <paramref name="maxChars"/>
    /// (the cut marked), control characters (a terminal's escape sequences, line breaks) replaced by <c>?</c>.
    /// </summary>
    public static string ForDisplay(string text, string? secret, int maxChars)
    {
        var masked = Apply(text, secret);
        var cut = masked.Length <= maxChars ? masked : masked.Substring(0, Math.Max(maxChars, 0)) + "…";
        var chars = cut.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}

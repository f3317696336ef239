using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace DataNet.Cli.Options;

/// <summary>
/// Positional arguments accept any text, so an unknown option would quietly become a channel or a message
/// (<c>datanet sub --bogus x</c> listening on "--bogus"): these checks make it a parse error instead.
/// </summary>
internal static class StrictArguments
{
    /// <summary>Rejects values that look like options; with <paramref name="allowNumbers"/>, negative numbers stay (JSON <c>-5</c>).</summary>
    public static void RejectOptionLike(Argument argument, bool allowNumbers = false) => argument.Validators.Add(result =>
    {
        foreach (var token in result.Tokens)
        {
            var text = token.Value;
            if (text.Length > 1 && text[0] == '-' && !(allowNumbers && IsNumber(text)))
            {
                result.AddError($"unknown option '{text}'");
            }
        }
    });

    /// <summary>Rejects empty or blank values: an empty channel is never what was meant.</summary>
    public static void RejectBlank(Argument argument, string what) => argument.Validators.Add(result =>
    {
        foreach (var token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"the {what} is empty");
            }
        }
    });

    private static bool IsNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}

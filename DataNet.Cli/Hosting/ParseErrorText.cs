using System;
using System.CommandLine;
using System.Linq;
using System.Text.RegularExpressions;

namespace DataNet.Cli.Hosting;

/// <summary>
/// A command-line parse failure as one line an artist can act on: no .NET type names, and the help to run.
/// </summary>
internal static partial class ParseErrorText
{
    public static string Describe(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        var usage = command is RootCommand ? CliApp.Name : $"{CliApp.Name} {command.Name}";
        var problems = parseResult.Errors.Select(e => Plain(e.Message)).Distinct();
        return $"{CliApp.Name}: {string.Join("; ", problems)} (see '{usage} --help')";
    }

    private static string Plain(string message)
    {
        var match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message.TrimEnd('.');
        }

        var type = match.Groups["type"].Value;
        var expected = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a valid value";
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {expected}";
    }

    [GeneratedRegex("^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex CannotParse();
}

using DataNet.Cli.Hosting;
using Spectre.Console;

namespace DataNet.Cli.Output;

/// <summary>Spectre.Console over a command's stdout: colours and live views only on a real terminal.</summary>
internal static class Terminal
{
    public static IAnsiConsole Create(CliConsole console) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(console.Output),
        Ansi = console.IsOutputTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = console.IsOutputTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = console.IsOutputTerminal ? InteractionSupport.Yes : InteractionSupport.No,
    });
}

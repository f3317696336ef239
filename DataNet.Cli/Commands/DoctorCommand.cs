using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Doctor;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;

namespace DataNet.Cli.Commands;

/// <summary>
/// <c>datanet doctor [--python PATH] [--sdk DIR]</c>: checks what a TouchDesigner machine needs and
/// prints each check with a plain fix; exits non-zero when any check fails.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var python = new Option<string?>("--python")
        {
            Description = "The Python to load the SDK from, e.g. TouchDesigner's (default: python3.11, python3 or python on PATH).",
        };
        var sdk = new Option<string?>("--sdk")
        {
            Description = $"The SDK folder to check (default: {SdkLayout.DefaultFolder} if it exists).",
        };
        var dotnetRoot = new Option<string?>("--dotnet-root")
        {
            Description = "Check only this .NET install folder (default: DOTNET_ROOT, then the usual places).",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the checks as one JSON object: {\"ready\",\"passed\",\"failed\",\"skipped\",\"checks\":[{\"name\",\"outcome\",\"detail\",\"fix\"}]}.",
        };
        var command = new Command("doctor", "Check this machine for TouchDesigner: .NET runtime, SDK folder, Python loading, API.")
        {
            python, sdk, dotnetRoot, json,
        };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = connection.Bind(parseResult, console);
            var timeout = connection.BindTimeout(parseResult);
            var sdkFolder = parseResult.GetValue(sdk) ?? (Directory.Exists(SdkLayout.DefaultFolder) ? SdkLayout.DefaultFolder : null);
            var root = parseResult.GetValue(dotnetRoot);

            var sdkResults = SdkFolderCheck.Run(sdkFolder);
            var sdkLoadable = sdkResults.All(r => r.Outcome != CheckOutcome.Failed) && sdkFolder is not null;
            var (pythonResults, architecture) = await PythonCheck.RunAsync(
                parseResult.GetValue(python), sdkFolder, sdkLoadable, root, console, cancellationToken);

            var results = new List<CheckResult> { DotnetRuntimeCheck.Run(root, architecture, console) };
            results.AddRange(sdkResults);
            results.AddRange(pythonResults);
            results.Add(await ApiCheck.RunAsync(settings, timeout, cancellationToken));

            if (parseResult.GetValue(json))
            {
                await console.Output.WriteLineAsync(DoctorReport.Json(results));
            }
            else
            {
                await DoctorReport.WriteAsync(console.Output, results);
            }

            return results.Any(r => r.Outcome == CheckOutcome.Failed) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}

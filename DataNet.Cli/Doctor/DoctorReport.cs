using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace DataNet.Cli.Doctor;

/// <summary>Prints the checks as aligned plain lines: status, name, detail, and the fix under a failure.</summary>
internal static class DoctorReport
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<CheckResult> results)
    {
        var width = results.Max(r => r.Name.Length);
        foreach (var result in results)
        {
            var tag = result.Outcome switch
            {
                CheckOutcome.Passed => "[ ok ]",
                CheckOutcome.Failed => "[FAIL]",
                _ => "[skip]",
            };
            await output.WriteLineAsync($"{tag} {result.Name.PadRight(width)}  {result.Detail}");
            if (result.Fix is { } fix)
            {
                await output.WriteLineAsync($"       {new string(' ', width)}  fix: {fix}");
            }
        }

        var failed = results.Count(r => r.Outcome == CheckOutcome.Failed);
        var passed = results.Count(r => r.Outcome == CheckOutcome.Passed);
        var skipped = results.Count(r => r.Outcome == CheckOutcome.Skipped);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{passed} passed, {failed} failed, {skipped} skipped: {(failed == 0 ? "this machine is ready" : "fix the failures above")}."));
    }
}

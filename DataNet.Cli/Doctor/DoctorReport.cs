using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using DataNet.Cli.Output;

namespace DataNet.Cli.Doctor;

/// <summary>Prints the checks as aligned plain lines (status, name, detail, and the fix under a failure), or as one JSON object.</summary>
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
            await output.WriteLineAsync($"{tag} {result.Name.PadRight(width)}  {TerminalText.Visible(result.Detail)}");
            if (result.Fix is { } fix)
            {
                await output.WriteLineAsync($"       {new string(' ', width)}  fix: {TerminalText.Visible(fix)}");
            }
        }

        var failed = results.Count(r => r.Outcome == CheckOutcome.Failed);
        var passed = results.Count(r => r.Outcome == CheckOutcome.Passed);
        var skipped = results.Count(r => r.Outcome == CheckOutcome.Skipped);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{passed} passed, {failed} failed, {skipped} skipped: {(failed == 0 ? "this machine is ready" : "fix the failures above")}."));
    }

    /// <summary><c>--json</c>: one object with the totals, <c>ready</c> (no failure) and every check.</summary>
    public static string Json(IReadOnlyList<CheckResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ready", results.All(r => r.Outcome != CheckOutcome.Failed));
            writer.WriteNumber("passed", results.Count(r => r.Outcome == CheckOutcome.Passed));
            writer.WriteNumber("failed", results.Count(r => r.Outcome == CheckOutcome.Failed));
            writer.WriteNumber("skipped", results.Count(r => r.Outcome == CheckOutcome.Skipped));
            writer.WriteStartArray("checks");
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("name", result.Name);
                writer.WriteString("outcome", result.Outcome.ToString().ToLowerInvariant());
                writer.WriteString("detail", result.Detail);
                if (result.Fix is { } fix)
                {
                    writer.WriteString("fix", fix);
                }
                else
                {
                    writer.WriteNull("fix");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return TerminalText.SafeJson(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}

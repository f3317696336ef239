using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Cli.Doctor;

/// <summary>
/// Runs a Python as a child process with a small script that reports the interpreter and then loads
/// the SDK the way TouchDesigner does in zero-pip mode: the folder's own <c>python/DataNet.py</c>
/// starts CoreCLR through hostfxr, pythonnet from <c>Python.Runtime.dll</c>, then DataNet.Td.
/// </summary>
internal static class PythonProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    // Standard library only, Python 3.6+; one JSON object per line ("step": "python" | "load").
    private const string Script = """
        import json, os, platform, sys
        def emit(**fields):
            sys.stdout.write('\n' + json.dumps(fields) + '\n')
            sys.stdout.flush()
        machine = (platform.machine() or '').lower()
        arch = {'x86_64': 'x64', 'amd64': 'x64', 'arm64': 'arm64', 'aarch64': 'arm64', 'i386': 'x86', 'i686': 'x86'}.get(machine, machine or 'unknown')
        if sys.platform == 'win32':
            import sysconfig
            arch = {'win-amd64': 'x64', 'win-arm64': 'arm64', 'win32': 'x86'}.get(sysconfig.get_platform(), arch)
        try:
            import importlib.util
            has_pythonnet = importlib.util.find_spec('pythonnet') is not None
        except Exception:
            has_pythonnet = False
        emit(step='python', version='%d.%d.%d' % tuple(sys.version_info[:3]), arch=arch, executable=sys.executable,
             pythonnet='installed' if has_pythonnet else 'not installed')
        sdk = sys.argv[1] if len(sys.argv) > 1 else ''
        if sdk:
            try:
                import importlib.util
                spec = importlib.util.spec_from_file_location('datanet_doctor_loader', os.path.join(sdk, 'python', 'DataNet.py'))
                loader = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(loader)
                runtime = loader.boot(sdk)
                import System
                assembly = [a for a in System.AppDomain.CurrentDomain.GetAssemblies() if a.GetName().Name == 'DataNet.Td'][0]
                options = System.Activator.CreateInstance(assembly.GetType('DataNet.Td.DataNetOptions'))
                emit(step='load', ok=True, route=runtime.get('route'), detail=runtime.get('detail'),
                     version=str(assembly.GetName().Version), location=str(assembly.Location),
                     framework=str(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
                     clientId=str(options.ClientId))
            except BaseException as exc:
                emit(step='load', ok=False, error='%s: %s' % (type(exc).__name__, exc))
                sys.exit(1)
        """;

    /// <param name="python">Path of the interpreter.</param>
    /// <param name="sdkFolder">Folder to load, or null to only report the interpreter.</param>
    /// <param name="dotnetRoot">DOTNET_ROOT for the child, or null to leave it to the loader's search.</param>
    public static async Task<ProbeResult> RunAsync(string python, string? sdkFolder, string? dotnetRoot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        if (sdkFolder is not null)
        {
            start.ArgumentList.Add(Path.GetFullPath(sdkFolder));
        }

        start.Environment["DATANET_RUNTIME"] = "zeropip"; // the way TD loads without pip, even where pythonnet is installed
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        if (dotnetRoot is not null)
        {
            start.Environment["DOTNET_ROOT"] = Path.GetFullPath(dotnetRoot);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return ProbeResult.NotStarted(e.Message);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return ProbeResult.NotStarted($"it did not finish within {Timeout.TotalSeconds:0} s");
        }

        return Parse(await stdout, await stderr, process.ExitCode);
    }

    internal static ProbeResult Parse(string stdout, string stderr, int exitCode)
    {
        Dictionary<string, string>? interpreter = null, load = null;
        foreach (var line in stdout.Split('\n'))
        {
            var text = line.Trim();
            if (!text.StartsWith('{'))
            {
                continue;
            }

            try
            {
                var fields = Fields(text);
                if (fields.TryGetValue("step", out var step))
                {
                    if (step == "python")
                    {
                        interpreter = fields;
                    }
                    else if (step == "load")
                    {
                        load = fields;
                    }
                }
            }
            catch (JsonException)
            {
                // a line the loader printed that merely starts with '{'
            }
        }

        return new ProbeResult(true, interpreter, load, exitCode, LastLine(stderr));
    }

    private static Dictionary<string, string> Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            fields[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString() ?? string.Empty
                : property.Value.GetRawText();
        }

        return fields;
    }

    private static string? LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? null : lines[^1];
    }
}

/// <summary>What the probe reported: the interpreter's fields, the load step's fields, or why it could not run.</summary>
internal sealed record ProbeResult(
    bool Started,
    IReadOnlyDictionary<string, string>? Interpreter,
    IReadOnlyDictionary<string, string>? Load,
    int ExitCode,
    string? Problem)
{
    public static ProbeResult NotStarted(string problem) => new(false, null, null, -1, problem);

    public string? Get(string field) => Interpreter is not null && Interpreter.TryGetValue(field, out var value) ? value : null;

    public string? GetLoad(string field) => Load is not null && Load.TryGetValue(field, out var value) ? value : null;
}

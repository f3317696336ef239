using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>
/// `dotnet datanet.dll ARGS` from the test's output folder (<see cref="Start(string[])"/>), or a program from an
/// unpacked archive with a bare environment (<see cref="StartProgram"/>); output captured as it comes.
/// </summary>
internal sealed class DatanetProcess : IDisposable
{
    private readonly Process _process;

    private DatanetProcess(ProcessStartInfo start, string[] args, bool readOutput)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(Output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(Error, e.Data);
        _process.Start();
        _process.StandardInput.Close();
        if (readOutput)
        {
            _process.BeginOutputReadLine();
        }

        _process.BeginErrorReadLine();
        Args = args;
    }

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>
    /// Like <see cref="Start(string[])"/>, with SIGINT at its default disposition, as a program started from a terminal
    /// has it (coreutils' <c>env --default-signal</c>). A background job of a non-interactive shell ignores SIGINT, and
    /// every program below it inherits that, so without this a test runner started that way could never interrupt its
    /// child: .NET leaves an inherited "ignore" alone.
    /// </summary>
    public static DatanetProcess StartInterruptible(params string[] args) =>
        StartDll(args, readOutput: true, [], prefix: ["env", "--default-signal=INT"]);

    private static DatanetProcess StartDll(string[] args, bool readOutput, (string Name, string Value)[] environment, string[]? prefix = null)
    {
        var start = prefix is null ? StartInfo(Host, [Dll, .. args]) : StartInfo(prefix[0], [.. prefix[1..], Host, Dll, .. args]);
        foreach (var name in new[] { "DATANET_API_KEY", "DATANET_API_URL", "DATANET_WS_URL", "DATANET_CHANNEL", "CI" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new DatanetProcess(start, args, readOutput);
    }

    /// <summary>
    /// <paramref name="program"/> with only <paramref name="environment"/> (nothing inherited: no PATH, HOME or DOTNET_*
    /// the caller does not give), as an artist's machine without .NET would run it.
    /// </summary>
    public static DatanetProcess StartProgram(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(program, args);
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new DatanetProcess(start, args, readOutput: true);
    }

    /// <summary>The dotnet host that runs the tests, else the one on PATH.</summary>
    public static string Host =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static string Dll => Path.Combine(TestContext.CurrentContext.TestDirectory, "datanet.dll");

    public string[] Args { get; }

    public CapturedWriter Output { get; } = new();

    public CapturedWriter Error { get; } = new();

    public bool HasExited => _process.HasExited;

    public static DatanetProcess Start(params string[] args) => StartDll(args, readOutput: true, []);

    public static DatanetProcess Start(string[] args, params (string Name, string Value)[] environment) => StartDll(args, readOutput: true, environment);

    public static DatanetProcess Start(string[] args, bool readOutput, params (string Name, string Value)[] environment) => StartDll(args, readOutput, environment);

    /// <summary>Closes the read end of the child's stdout pipe (only when started with readOutput: false).</summary>
    public void CloseOutputReader() => _process.StandardOutput.Close();

    /// <summary>
    /// The exit code; a program still running after <paramref name="timeout"/> (default 90 s) fails the test with the
    /// end of what it printed.
    /// </summary>
    public async Task<int> WaitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            var text = ToString();
            Assert.Fail($"still running {limit.TotalSeconds:0} s later: ...{text[Math.Max(0, text.Length - 4000)..]}");
        }

        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal to this child (by its id).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public override string ToString() =>
        $"datanet {string.Join(' ', Args)} (exit {(_process.HasExited ? _process.ExitCode : "running")})\n--- stdout ---\n{Output.Text}\n--- stderr ---\n{Error.Text}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        Output.Dispose();
        Error.Dispose();
    }

    private static void Append(CapturedWriter writer, string? line)
    {
        if (line is not null)
        {
            writer.WriteLine(line);
        }
    }

}

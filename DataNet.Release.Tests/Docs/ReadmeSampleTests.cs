using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using DataNet.Gateway;
using DataNet.Td;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DataNet.Release.Tests;

/// <summary>
/// The C# samples of README.md and the package readme, exactly as a reader copies them: compiled as a program
/// (no warnings), then run against a local gateway. The only edit: the gateway's port (the sample uses 8080,
/// which a test cannot claim) and a test device id (so the run never writes the user's device-id file).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReadmeSampleTests
{
    private const string Target = "DataNetOptions.LocalGateway()";

    [TestCase("README.md")]
    [TestCase("DataNet.Td/README.md")]
    public async Task SampleCompilesAndGetsItsOwnMessageBackFromTheLocalGateway(string readme)
    {
        var sample = CSharpSample(await File.ReadAllTextAsync(Path.Combine(Repository.Root, readme)));
        Assert.That(Occurrences(sample, Target), Is.EqualTo(1), $"the sample creates one client with {Target}");
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var program = Compile(sample.Replace(Target, $"DataNetOptions.LocalGateway({gateway.ApiUrl.Port}) with {{ DeviceId = \"readme-sample\" }}", StringComparison.Ordinal));

        var output = await RunAsync(program);

        Assert.That(output, Does.Contain("project.local.sensor from ").And.Contain("{\"level\":0.8}"), output);
        Assert.That(output.TrimEnd().Split('\n')[^1], Is.EqualTo("Connected"), output);
    }

    /// <summary>The first ```csharp block.</summary>
    private static string CSharpSample(string markdown)
    {
        var start = markdown.IndexOf("```csharp\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "a ```csharp block");
        start += "```csharp\n".Length;
        return markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static byte[] Compile(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Append(typeof(DataNetClient).Assembly.Location)
            .DistinctBy(Path.GetFileName)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "ReadmeSample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();
        Assert.That(problems, Is.Empty, "the sample compiles without errors or warnings");
        Assert.That(result.Success, Is.True);
        return image.ToArray();
    }

    /// <summary>Runs the program's Main in a collectible load context and returns what it wrote to the console.</summary>
    private static async Task<string> RunAsync(byte[] program)
    {
        var context = new AssemblyLoadContext("readme-sample", isCollectible: true);
        var original = Console.Out;
        using var output = new StringWriter();
        try
        {
            var entry = context.LoadFromStream(new MemoryStream(program)).EntryPoint!;
            Console.SetOut(TextWriter.Synchronized(output));
            await Task.Run(() => entry.Invoke(null, entry.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]))
                .WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TargetInvocationException e)
        {
            Assert.Fail($"the sample threw: {e.InnerException}");
        }
        finally
        {
            Console.SetOut(original);
            context.Unload();
        }

        return output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}

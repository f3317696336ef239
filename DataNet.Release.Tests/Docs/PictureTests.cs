using System.Diagnostics;
using System.IO;

namespace DataNet.Release.Tests;

/// <summary>The checked-in pictures are what docs/pictures/make_pictures.py draws from today's sources.</summary>
[TestFixture]
public sealed class PictureTests
{
    [Test]
    public async Task PicturesMatchTheirSources()
    {
        var start = new ProcessStartInfo(TestPython.Find())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "docs", "pictures", "make_pictures.py"));
        start.ArgumentList.Add("--check");
        using var check = Process.Start(start)!;
        var output = check.StandardOutput.ReadToEndAsync();
        var error = check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(check.ExitCode, Is.Zero, $"{await output}{await error}");
    }
}

using System.IO;
using System.Linq;
using DataNet.Td;

namespace DataNet.Release.Tests;

/// <summary>docs/client.md is the .NET engineer's reference: every public type of DataNet.Td is named there.</summary>
[TestFixture]
public sealed class ClientDocsTests
{
    [Test]
    public void ClientGuideNamesEveryPublicType()
    {
        var guide = File.ReadAllText(Path.Combine(Repository.Root, "docs", "client.md"));
        var types = typeof(DataNetClient).Assembly.GetExportedTypes().Select(t => t.Name).Distinct().Order().ToArray();

        Assert.That(types, Is.Not.Empty);
        Assert.That(types.Where(name => !guide.Contains($"`{name}`", System.StringComparison.Ordinal)), Is.Empty,
            "public types docs/client.md does not name (in backticks)");
    }
}

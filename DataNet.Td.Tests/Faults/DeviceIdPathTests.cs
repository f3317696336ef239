using System.IO;
using DataNet.Td.Auth;

namespace DataNet.Td.Tests;

/// <summary>The device-id file never lands in the current folder (macOS without <c>~/.config</c>).</summary>
public class DeviceIdPathTests
{
    private static readonly string Home = Path.Combine(Path.GetTempPath(), "home");

    [Test]
    public void AMissingConfigFolderStillGivesAPathUnderTheUsersFolders()
    {
        // What .NET does on macOS when ~/.config does not exist: "" unless asked not to verify.
        string Lookup(Environment.SpecialFolder folder, Environment.SpecialFolderOption option) =>
            option == Environment.SpecialFolderOption.DoNotVerify && folder == Environment.SpecialFolder.ApplicationData
                ? Path.Combine(Home, ".config")
                : string.Empty;

        Assert.That(DeviceIdStore.DefaultPathFrom(Lookup), Is.EqualTo(Path.Combine(Home, ".config", "DataNet", "device-id")));
    }

    [Test]
    public void WithoutAnApplicationDataFolderTheHomeFolderIsUsed()
    {
        string Lookup(Environment.SpecialFolder folder, Environment.SpecialFolderOption option) =>
            folder == Environment.SpecialFolder.UserProfile ? Home : string.Empty;

        Assert.That(DeviceIdStore.DefaultPathFrom(Lookup), Is.EqualTo(Path.Combine(Home, ".config", "DataNet", "device-id")));
    }

    [Test]
    public void WithNoUserFolderAtAllThereIsNoFileAndTheIdLastsTheProcess()
    {
        var path = DeviceIdStore.DefaultPathFrom((_, _) => string.Empty);
        Assert.That(path, Is.Null, "never a path relative to the current folder");

        var id = DeviceIdStore.GetOrCreate(path);
        Assert.That(id, Does.StartWith("td-"));
        Assert.That(DeviceIdStore.GetOrCreate(path), Is.EqualTo(id));
        Assert.That(File.Exists(Path.Combine("DataNet", "device-id")), Is.False);
    }
}

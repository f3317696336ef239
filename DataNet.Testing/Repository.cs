using System;
using System.IO;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>The checkout the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder holding DataNet.sln, searched upward from the test output.</summary>
    public static string Root
    {
        get
        {
            for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "DataNet.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("DataNet.sln not found above the test folder");
        }
    }
}

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>Files of the repository the tests run from (the folder holding Marketplace.sln).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Marketplace.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test folder.");
    }
}

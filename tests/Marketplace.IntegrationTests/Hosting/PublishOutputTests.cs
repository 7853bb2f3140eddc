using System.Diagnostics;
using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// `dotnet publish` must never ship runtime data (the database, the secrets key, the emulator's
/// wallets and admin key) found in a developer's data/ folder. MSBuild's evaluation lists exactly
/// what publish would copy, without building.
/// </summary>
public sealed class PublishOutputTests
{
    [Theory]
    [InlineData("src/Marketplace.Api/Marketplace.Api.csproj")]
    [InlineData("src/Marketplace.QiwiEmulator/Marketplace.QiwiEmulator.csproj")]
    public async Task Runtime_data_files_are_not_publish_items(string project)
    {
        var root = RepositoryFiles.Root;
        var folder = Path.Combine(root, Path.GetDirectoryName(project)!, "data");
        var created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        var probes = new[] { "secret-keys.json", "marketplace.db", "qiwi-emulator.json" }
            .Select(name => Path.Combine(folder, $"probe-{Guid.NewGuid():N}-{name}")).ToList();
        try
        {
            foreach (var probe in probes) await File.WriteAllTextAsync(probe, "{}");

            var items = await EvaluateAsync(root, project, "Content", "None", "ResolvedFileToPublish");

            Assert.NotEmpty(items); // appsettings.json at least: the evaluation did list files
            Assert.DoesNotContain(items, item => probes.Any(probe => item.EndsWith(Path.GetFileName(probe), StringComparison.Ordinal)));
            Assert.DoesNotContain(items, item => item.Replace('\\', '/').Contains("/data/", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var probe in probes) File.Delete(probe);
            if (created) Directory.Delete(folder);
        }
    }

    private static async Task<List<string>> EvaluateAsync(string root, string project, params string[] itemTypes)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-p:Configuration=Release" }
                     .Concat(itemTypes.Select(type => $"-getItem:{type}")))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());

        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").EnumerateObject()
            .SelectMany(type => type.Value.EnumerateArray())
            .Select(item => item.GetProperty("FullPath").GetString()!)
            .ToList();
    }
}

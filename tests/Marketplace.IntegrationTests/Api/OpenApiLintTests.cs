using System.Diagnostics;
using System.Text;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// Runs the tools storefront developers run on our contract, on the committed docs/openapi.json
/// (which <see cref="OpenApiContractTests"/> keeps equal to the served document): Redocly's and
/// Spectral's OpenAPI rules, and openapi-typescript, whose generated client must compile together with
/// tests/openapi/client-check.ts. The tools' versions are pinned in tests/openapi/package-lock.json.
/// </summary>
public sealed class OpenApiLintTests(OpenApiToolchain tools) : IClassFixture<OpenApiToolchain>
{
    [Fact]
    public async Task Redocly_finds_no_problem()
    {
        var (exitCode, output) = await tools.RunAsync("redocly", "lint", "../../docs/openapi.json", "--format=stylish", "--max-problems=200");
        Assert.True(exitCode == 0, output);
        // Warnings fail too (a problem line reads "  12:7  warning  rule-name  ..."); Redocly's own notices do not count.
        Assert.DoesNotMatch(@"\d+:\d+\s+(warning|error)", output);
        Assert.Contains("Your API description is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spectral_finds_no_problem()
    {
        var (exitCode, output) = await tools.RunAsync("spectral", "lint", "../../docs/openapi.json", "--fail-severity=hint");
        Assert.True(exitCode == 0, output);
        Assert.Contains("No results with a severity of 'hint' or higher found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typescript_client_generated_from_the_contract_compiles()
    {
        var generated = await tools.RunAsync("openapi-typescript", "../../docs/openapi.json", "--output", "generated/marketplace-api.ts");
        Assert.True(generated.ExitCode == 0, generated.Output);
        var compiled = await tools.RunAsync("tsc", "--noEmit", "-p", ".");
        Assert.True(compiled.ExitCode == 0, compiled.Output);
    }
}

/// <summary>Installs the pinned npm tools of tests/openapi once per test run (npm ci) and runs them.</summary>
public sealed class OpenApiToolchain : IAsyncLifetime
{
    private static readonly string Folder = Path.Combine(RepositoryFiles.Root, "tests", "openapi");

    public async ValueTask InitializeAsync()
    {
        var installed = Path.Combine(Folder, "node_modules", ".package-lock.json");
        var locked = Path.Combine(Folder, "package-lock.json");
        if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(locked)) return;
        var (exitCode, output) = await RunProcessAsync("npm", "ci", "--no-audit", "--no-fund");
        if (exitCode != 0) throw new InvalidOperationException("npm ci in tests/openapi failed (Node.js and the npm registry are needed):\n" + output);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments) =>
        RunProcessAsync(Path.Combine(Folder, "node_modules", ".bin", tool), arguments);

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NO_COLOR"] = "1", ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}

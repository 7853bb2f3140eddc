using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.QiwiEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>The admin API is never open: a configured key, or one generated into an owner-only file; the state file is owner-only too.</summary>
public sealed class QiwiEmulatorAdminKeyTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_admin_api_refuses_a_missing_or_wrong_key_and_accepts_the_right_one()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = qiwi.Emulator.BaseAddress };
        var phone = EmulatorClient.NewPhone();
        var personId = long.Parse(phone.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture);

        var missing = await anonymous.PostAsJsonAsync("admin/v1/wallets", new { phone, balance = 1_000_000m });
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Post, "admin/v1/wallets") { Content = JsonContent.Create(new { phone, balance = 1_000_000m }) };
        wrongRequest.Headers.Add(EmulatorAdminKey.HeaderName, EmulatorHost.AdminKey + "x");
        var wrong = await anonymous.SendAsync(wrongRequest);
        using var emptyRequest = new HttpRequestMessage(HttpMethod.Get, "admin/v1/faults");
        emptyRequest.Headers.Add(EmulatorAdminKey.HeaderName, "");
        var empty = await anonymous.SendAsync(emptyRequest);

        foreach (var refused in new[] { missing, wrong, empty })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("emulator.admin.key", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.Null(qiwi.State.FindWallet(personId));
        // Every admin path, not only wallet creation.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("admin/v1/webhooks/deliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("admin/v1/tokens/abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"admin/v1/wallets/{personId}/tokens", new { })).StatusCode);
        // Refused before the body is read: a malformed body still answers 401, not a binding error.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("admin/v1/wallets",
            new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        await qiwi.Admin.CreateWalletAsync(phone, 5m);
        Assert.NotNull(qiwi.State.FindWallet(personId));
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_beside_the_state_owner_only_and_reused_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("qiwi-admin-key-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["QiwiEmulator:AdminKey"] = "",
                ["QiwiEmulator:StateFile"] = Path.Combine(folder, "data", "qiwi-emulator.json"),
            };
            var keyFile = Path.Combine(folder, "data", "qiwi-emulator-admin-key");
            string key;
            await using (var first = await EmulatorHost.StartAsync(TimeProvider.System, settings))
            {
                var resolved = first.Services.GetRequiredService<EmulatorAdminKey>();
                Assert.Equal(keyFile, resolved.FilePath);
                Assert.True(resolved.Generated);
                Assert.True(File.Exists(keyFile)); // made at start-up, before any call
                key = (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim();
                Assert.Equal(resolved.Value, key);
                Assert.Equal(43, key.Length); // 32 bytes, base64url without padding
                Assert.DoesNotContain('+', key);
                if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(keyFile));
                // The folder it created for the key (and the wallets) is the owner's alone too.
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(keyFile)!));

                var withTestKey = first.CreateAdminClient();
                Assert.Equal(HttpStatusCode.Unauthorized,
                    (await withTestKey.Http.PostAsJsonAsync("admin/v1/wallets", new { phone = EmulatorClient.NewPhone() })).StatusCode);
                await new EmulatorClient(new HttpClient { BaseAddress = first.BaseAddress }, key).CreateWalletAsync(EmulatorClient.NewPhone());
            }

            await using var second = await EmulatorHost.StartAsync(TimeProvider.System, settings);
            var again = second.Services.GetRequiredService<EmulatorAdminKey>();
            Assert.False(again.Generated);
            Assert.Equal(key, again.Value);
            await new EmulatorClient(new HttpClient { BaseAddress = second.BaseAddress }, key).CreateWalletAsync(EmulatorClient.NewPhone());
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task A_key_file_named_in_the_options_is_used_and_narrowed_to_its_owner()
    {
        var folder = Directory.CreateTempSubdirectory("qiwi-admin-key-").FullName;
        try
        {
            var keyFile = Path.Combine(folder, "keys", "admin.key");
            Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
            await File.WriteAllTextAsync(keyFile, "operator-chosen-key-0123456789\n", TestContext.Current.CancellationToken);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            await using var emulator = await EmulatorHost.StartAsync(TimeProvider.System, new()
            {
                ["QiwiEmulator:AdminKey"] = "",
                ["QiwiEmulator:AdminKeyFile"] = keyFile,
            });

            var resolved = emulator.Services.GetRequiredService<EmulatorAdminKey>();
            Assert.Equal(("operator-chosen-key-0123456789", keyFile, false), (resolved.Value, resolved.FilePath, resolved.Generated));
            if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(keyFile));
            await new EmulatorClient(new HttpClient { BaseAddress = emulator.BaseAddress }, resolved.Value).CreateWalletAsync(EmulatorClient.NewPhone());
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task When_the_key_file_cannot_be_created_the_emulator_does_not_start()
    {
        var notAFolder = Path.GetTempFileName();
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => EmulatorHost.StartAsync(TimeProvider.System, new()
            {
                ["QiwiEmulator:AdminKey"] = "",
                ["QiwiEmulator:AdminKeyFile"] = Path.Combine(notAFolder, "admin-key"),
            }));

            Assert.Contains("could not read or create its admin key file", failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notAFolder);
        }
    }

    [Fact]
    public async Task The_state_file_is_written_owner_only()
    {
        var folder = Directory.CreateTempSubdirectory("qiwi-state-").FullName;
        try
        {
            var stateFile = Path.Combine(folder, "qiwi-emulator.json");
            await using var emulator = await EmulatorHost.StartAsync(TimeProvider.System, new() { ["QiwiEmulator:StateFile"] = stateFile });
            var admin = emulator.CreateAdminClient();
            var phone = await admin.CreateWalletAsync(EmulatorClient.NewPhone(), 10m);
            await admin.IssueTokenAsync(phone);

            Assert.True(File.Exists(stateFile));
            if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(stateFile));
            Assert.Equal([stateFile], Directory.GetFiles(folder)); // no temporary file left behind

            // A state file left readable by others (written before this rule) is narrowed when loaded.
            await emulator.DisposeAsync();
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stateFile, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                await using var again = await EmulatorHost.StartAsync(TimeProvider.System, new() { ["QiwiEmulator:StateFile"] = stateFile });
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(stateFile));
            }
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }
}

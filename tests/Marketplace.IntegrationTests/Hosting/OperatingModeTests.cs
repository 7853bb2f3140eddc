using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Api.Hosting;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Orders;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// Sandbox and Live are separate by construction: the configuration that could let the sandbox pay
/// for real goods does not start, a database belongs to one mode, and everything a person sees in
/// a sandbox says so.
/// </summary>
public sealed class OperatingModeTests(PostgresServer postgres)
{
    private static readonly string SecretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static TheoryData<string, string?, string?, string?, string> RefusedConfigurations => new()
    {
        // environment, Marketplace:Mode, QiwiEmulator:Embedded, Qiwi:BaseUrl, what the refusal names
        { "Production", null, null, null, "Marketplace:Mode must be set" },
        { "Staging", null, null, "https://edge.qiwi.com", "Marketplace:Mode must be set" },
        { "Production", "Production", null, null, "must be Sandbox or Live" },
        { "Production", "Live", "true", "https://edge.qiwi.com", "cannot host the QIWI emulator" },
        { "Development", "Live", "true", null, "cannot host the QIWI emulator" },
        { "Production", "Live", null, null, "needs Qiwi:BaseUrl" },
        { "Production", "Live", "false", "  ", "needs Qiwi:BaseUrl" },
        { "Production", "Live", null, "edge.qiwi.com", "absolute http or https URL" },
        { "Production", "Sandbox", "false", null, "must name a QIWI-compatible API" },
        { "Production", "Sandbox", "maybe", null, "must be true or false" },
        { "Production", "1", null, "https://edge.qiwi.com", "must be Sandbox or Live" },
        { "Production", "Sandbox, Live", null, "https://edge.qiwi.com", "must be Sandbox or Live" },
        { "Production", "Liv", null, "https://edge.qiwi.com", "must be Sandbox or Live" },
        { "Production", "Live", null, "https://edge.qiwi.com|", "needs Qiwi:PaymentFormBaseUrl" },
    };

    [Theory]
    [MemberData(nameof(RefusedConfigurations))]
    public void Configurations_that_could_mix_sandbox_and_live_do_not_start(
        string environment, string? mode, string? embedded, string? baseUrl, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceModeSetup.From(Configuration(mode, embedded, baseUrl), Environment(environment)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", null, null, null, ServiceMode.Sandbox, true)]
    [InlineData("Production", "Sandbox", null, null, ServiceMode.Sandbox, true)]
    [InlineData("Production", "sandbox", "false", "http://emulator:8080", ServiceMode.Sandbox, false)]
    [InlineData("Production", "Live", null, "https://edge.qiwi.com", ServiceMode.Live, false)]
    [InlineData("Development", "Live", "false", "https://edge.qiwi.com", ServiceMode.Live, false)]
    public void Accepted_configurations_resolve_one_mode(
        string environment, string? mode, string? embedded, string? baseUrl, ServiceMode expectedMode, bool expectedEmbedded)
    {
        var setup = ServiceModeSetup.From(Configuration(mode, embedded, baseUrl), Environment(environment));

        Assert.Equal(expectedMode, setup.Mode.Mode);
        Assert.Equal(expectedEmbedded, setup.EmbeddedEmulator);
    }

    [Fact]
    public async Task A_sandbox_says_so_in_its_info_swagger_wallets_orders_and_payment_instructions()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        var trade = await TradeSetup.CreateAsync(app);
        var http = app.CreateClient();

        var info = await http.GetFromJsonAsync<JsonElement>("/api/v1/info");
        var swagger = await http.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var ui = await http.GetStringAsync("/swagger/index.html");
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var wallets = await trade.Seller.Http.GetFromJsonAsync<JsonElement>("/api/v1/wallets");

        Assert.Equal("Sandbox", info.GetProperty("mode").GetString());
        Assert.True(info.GetProperty("sandbox").GetBoolean());
        Assert.Contains("SANDBOX", swagger.GetProperty("info").GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("SANDBOX", swagger.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("<title>Marketplace API (SANDBOX)</title>", ui, StringComparison.Ordinal);
        Assert.True(trade.SellerWallet.Sandbox);
        Assert.True(wallets[0].GetProperty("sandbox").GetBoolean());
        Assert.True(order.Sandbox);
        Assert.True(order.Payment.Sandbox);
    }

    [Fact]
    public async Task A_live_service_hosts_no_emulator_and_its_wallets_and_orders_are_not_sandbox()
    {
        // The "real" wallet API here is an emulator told to stand in for the real wallet (it does not announce itself).
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var realWallet = await EmulatorHost.StartAsync(clock, new Dictionary<string, string?> { ["QiwiEmulator:AnnounceAsEmulator"] = "false" });
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Live",
        }, sharedEmulator: (realWallet, clock));
        var http = app.CreateClient();

        var admin = await http.PostAsJsonAsync("/qiwi-emulator/admin/v1/wallets", new { phone = "+79001234567", balance = 1_000_000 });
        var info = await http.GetFromJsonAsync<JsonElement>("/api/v1/info");
        var swagger = await http.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var trade = await TradeSetup.CreateAsync(app);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
        Assert.Equal("Live", info.GetProperty("mode").GetString());
        Assert.False(info.GetProperty("sandbox").GetBoolean());
        Assert.Equal(JsonValueKind.Null, info.GetProperty("emulator").ValueKind);
        Assert.DoesNotContain("SANDBOX", swagger.GetProperty("info").GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False(trade.SellerWallet.Sandbox);
        Assert.False(order.Sandbox);
        Assert.False(order.Payment.Sandbox);
    }

    [Fact]
    public async Task A_live_service_pointed_at_the_emulator_by_mistake_refuses_its_wallets()
    {
        // An emulator as it ships: every answer says it is one.
        await using var live = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Live",
        });
        var qiwi = live.CreateEmulatorClient();
        var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var seller = await live.CreateApiClient().SignUpAsync();

        var connect = await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token = await qiwi.IssueTokenAsync(phone) });

        var text = await connect.Content.ReadAsStringAsync();
        Assert.True(connect.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        Assert.Contains("emulator", text, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("token", out _), text);
        Assert.Empty(await seller.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/wallets") ?? []);
    }

    [Fact]
    public async Task A_database_belongs_to_the_mode_that_first_used_it()
    {
        var sandboxDb = await postgres.CreateDatabaseAsync();
        var liveDb = await postgres.CreateDatabaseAsync();
        try
        {
            await using (var sandbox = await StartAsync(sandboxDb, "Sandbox"))
                await TradeSetup.CreateAsync(sandbox);
            await using (await StartAsync(liveDb, "Live")) { }

            // The live database is one migration behind: a refused start must not migrate it either.
            var pending = await RollBackLastMigrationAsync(liveDb);
            var liveOnSandbox = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(sandboxDb, "Live"));
            var sandboxOnLive = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(liveDb, "Sandbox"));
            Assert.DoesNotContain(pending, await AppliedMigrationsAsync(liveDb));

            Assert.Contains("belongs to a Sandbox service", Flatten(liveOnSandbox), StringComparison.Ordinal);
            Assert.Contains("belongs to a Live service", Flatten(sandboxOnLive), StringComparison.Ordinal);
            await using var again = await StartAsync(sandboxDb, "Sandbox"); // the owner mode still starts
            Assert.Equal(HttpStatusCode.OK, (await again.CreateClient().GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            await postgres.DropDatabaseAsync(sandboxDb);
            await postgres.DropDatabaseAsync(liveDb);
        }
    }

    [Fact]
    public async Task A_database_from_the_previous_release_upgrades_in_place_as_sandbox_and_its_paid_order_is_delivered()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(clock);
        try
        {
            // The previous release's data: an account, a wallet, a stocked listing, an order paid while the service was down.
            TradeSetup trade;
            OrderDto order;
            await using (var previous = await StartAsync(database, "Sandbox", (emulator, clock)))
            {
                trade = await TradeSetup.CreateAsync(previous, items: 2);
                order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
            }

            await RollBackToFirstReleaseSchemaAsync(database);
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Payment.Amount, order.Payment.Comment);

            var live = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(database, "Live", (emulator, clock)));
            Assert.Contains("before operating modes", Flatten(live), StringComparison.Ordinal);

            await using var upgraded = await StartAsync(database, "Sandbox", (emulator, clock));
            var pass = await upgraded.Watcher.RunOnceAsync(CancellationToken.None);
            // Sessions are newer than the first release: everyone signs in again after the upgrade, with the same password.
            var buyer = await new ApiClient(upgraded.CreateClient()).LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password);
            var seller = await new ApiClient(upgraded.CreateClient()).LogInAsync(trade.Seller.Credentials!.Value.Email, trade.Seller.Credentials.Value.Password);

            var delivered = await buyer.GetOrderAsync(order.Id);
            var wallets = await seller.Http.GetFromJsonAsync<JsonElement>("/api/v1/wallets");
            Assert.Equal(1, pass.Accepted);
            Assert.Equal(OrderStatus.Delivered, delivered.Status);
            Assert.True(delivered.Sandbox);
            Assert.Contains(Assert.Single(await buyer.GetItemsAsync(order.Id)), trade.Items);
            Assert.True(wallets[0].GetProperty("sandbox").GetBoolean());
            Assert.Equal(1, (await buyer.GetListingAsync(trade.Listing.Id)).Stock);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_wallet_of_the_other_mode_is_neither_sold_from_nor_read()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        var trade = await TradeSetup.CreateAsync(app);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await ExecuteAsync(app.DatabaseConnectionString!, $"UPDATE wallets SET \"Sandbox\" = false WHERE \"Id\" = '{trade.SellerWallet.Id}'");
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Payment.Amount, order.Payment.Comment);

        var another = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1);
        var pass = await app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Conflict, another.StatusCode);
        Assert.Equal("order.wrong_mode", (await another.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, pass.Wallets);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    private Task<MarketplaceApp> StartAsync(string database, string mode, (EmulatorHost, TimeProvider)? emulator = null) =>
        MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marketplace"] = database,
            ["Marketplace:Mode"] = mode,
            ["Secrets:Keys:test"] = SecretKey,
        }, sharedEmulator: emulator);

    private static ApplicationDbContext Context(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.PostgreSql, connectionString).Configure(options);
        return new ApplicationDbContext(options.Options);
    }

    /// <summary>Undoes the newest migration; returns its name.</summary>
    private static async Task<string> RollBackLastMigrationAsync(string connectionString)
    {
        await using var db = Context(connectionString);
        var all = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(all[^2]);
        NpgsqlConnection.ClearAllPools();
        return all[^1];
    }

    private static async Task<IReadOnlyList<string>> AppliedMigrationsAsync(string connectionString)
    {
        await using var db = Context(connectionString);
        return (await db.Database.GetAppliedMigrationsAsync()).ToList();
    }

    /// <summary>Takes the schema back to the first release's migration (no modes), keeping every row.</summary>
    private static async Task RollBackToFirstReleaseSchemaAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.PostgreSql, connectionString).Configure(options);
        await using var db = new ApplicationDbContext(options.Options);
        var first = db.Database.GetMigrations().First();
        await db.GetService<IMigrator>().MigrateAsync(first);
        Assert.Equal([first], await db.Database.GetAppliedMigrationsAsync());
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(Flatten))
        : exception.InnerException is { } inner ? exception.Message + " | " + Flatten(inner) : exception.Message;

    /// <param name="baseUrl">"api" or "api|form": the API base and the payment form base (https://qiwi.com/ unless given).</param>
    private static IConfiguration Configuration(string? mode, string? embedded, string? baseUrl) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = mode,
            ["QiwiEmulator:Embedded"] = embedded,
            ["Qiwi:BaseUrl"] = baseUrl?.Split('|')[0],
            ["Qiwi:PaymentFormBaseUrl"] = baseUrl?.Contains('|') == true ? baseUrl.Split('|')[1] : "https://qiwi.com/",
        }).Build();

    private static IHostEnvironment Environment(string name) => new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = name };
}

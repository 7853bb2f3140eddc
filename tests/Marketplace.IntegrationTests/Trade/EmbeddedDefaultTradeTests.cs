using System.Net;
using System.Net.Http.Json;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.QiwiEmulator;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// The embedded default exactly as `dotnet run` starts it: SQLite in a file, the QIWI emulator
/// hosted in the same process under /qiwi-emulator, and the matcher calling it over real HTTP on
/// the service's own Kestrel port.
/// </summary>
public sealed class EmbeddedDefaultTradeTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "marketplace-sqlite-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedApp _app = null!;

    public ValueTask InitializeAsync()
    {
        _app = new EmbeddedApp(_folder);
        _app.UseKestrel(0);
        _app.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }

    [Fact]
    public async Task A_full_trade_works_on_sqlite_with_the_embedded_emulator()
    {
        var http = _app.CreateClient();
        // No key is configured here, so the emulator generated one beside its state file: read it from there.
        var keyFile = Path.Combine(_folder, "qiwi-emulator-admin-key");
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var adminKey = (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim();
        Assert.Equal(adminKey, _app.Services.GetRequiredService<EmulatorAdminKey>().Value);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await http.PostAsJsonAsync("/qiwi-emulator/admin/v1/wallets", new { phone = EmulatorClient.NewPhone(), balance = 1_000_000m })).StatusCode);
        var qiwi = new EmulatorClient(new HttpClient { BaseAddress = new Uri(http.BaseAddress!, "/qiwi-emulator/") }, adminKey);
        var sellerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var buyerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone(), 1000m);
        var buyerToken = await qiwi.IssueTokenAsync(buyerPhone);

        var seller = await new ApiClient(_app.CreateClient()).SignUpAsync();
        var wallet = await seller.ConnectQiwiWalletAsync(sellerPhone, await qiwi.IssueTokenAsync(sellerPhone, "ProfileRead", "HistoryRead"));
        var listing = await seller.CreateListingAsync(wallet.Id, 99.90m);
        await seller.AddItemsAsync(listing.Id, "GIFT-AAAA", "GIFT-BBBB");
        var buyer = await new ApiClient(_app.CreateClient()).SignUpAsync();

        var order = await buyer.PlaceOrderAsync(listing.Id);
        Assert.StartsWith(http.BaseAddress!.ToString().TrimEnd('/') + "/qiwi-emulator/payment/form/99?", order.Payment.PayUrl.ToString(), StringComparison.Ordinal);
        Assert.Equal(99.90m, order.Payment.Amount);

        // The payUrl opens the emulator's payment form with the order's comment filled in and locked.
        var form = await http.GetStringAsync(order.Payment.PayUrl);
        Assert.Contains($"value=\"{order.Payment.Comment}\" readonly", form, StringComparison.Ordinal);

        await qiwi.PayAsync(buyerToken, sellerPhone, 99.90m, order.Payment.Comment);
        var delivered = await FullTradeTests.PollUntilAsync(buyer, order.Id, OrderStatus.Delivered);

        Assert.Equal(1, delivered.ItemCount);
        Assert.Contains(Assert.Single(await buyer.GetItemsAsync(order.Id)), new[] { "GIFT-AAAA", "GIFT-BBBB" });
        Assert.True(File.Exists(Path.Combine(_folder, "marketplace.db")));
        var ready = await http.GetAsync("/health/ready");
        Assert.True(ready.IsSuccessStatusCode);
        Assert.True(File.Exists(Path.Combine(_folder, "qiwi-emulator.json")));
        // Runtime data is owner-only: the database (and its WAL files, which SQLite gives the same mode) and the secrets key.
        foreach (var file in Directory.GetFiles(_folder, "marketplace.db*").Append(Path.Combine(_folder, "secret-keys.json")))
            if (!OperatingSystem.IsWindows())
                Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file} is {File.GetUnixFileMode(file)}");
        Assert.False(ready.Headers.Contains("Server")); // Kestrel's Server header is off
        // The container healthcheck probes the same endpoint with the service's own binary.
        Assert.Equal(0, await Marketplace.Api.Hosting.HealthProbe.RunAsync(["healthcheck", new Uri(http.BaseAddress!, "/health/ready").ToString()], TextWriter.Null));
        Assert.Equal(1, await Marketplace.Api.Hosting.HealthProbe.RunAsync(["healthcheck", new Uri(http.BaseAddress!, "/no-such-check").ToString()], TextWriter.Null));
        Assert.Equal(1, (await buyer.GetListingAsync(listing.Id)).Stock);
        _ = await http.GetFromJsonAsync<object>("/swagger/v1/swagger.json");
    }

    [Fact]
    public async Task The_unpaid_order_cap_holds_under_parallel_requests_and_cancellation_works_on_sqlite()
    {
        var http = _app.CreateClient();
        var qiwi = _app.CreateEmulatorClient();
        var sellerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var seller = await new ApiClient(_app.CreateClient()).SignUpAsync();
        var wallet = await seller.ConnectQiwiWalletAsync(sellerPhone, await qiwi.IssueTokenAsync(sellerPhone, "ProfileRead", "HistoryRead"));
        var listing = await seller.CreateListingAsync(wallet.Id, 10m);
        await seller.AddItemsAsync(listing.Id, Enumerable.Range(0, 10).Select(i => $"SQLITE-{i}").ToArray());
        var buyer = await new ApiClient(_app.CreateClient()).SignUpAsync();

        // The production default allows 2 unpaid orders per buyer and listing.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => buyer.PlaceOrderRawAsync(listing.Id, 1)));

        var placed = responses.Where(r => r.StatusCode == System.Net.HttpStatusCode.Created).ToList();
        Assert.Equal(2, placed.Count);
        Assert.All(responses.Except(placed), r => Assert.Equal(System.Net.HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(8, (await buyer.GetListingAsync(listing.Id)).Stock);

        var order = await ApiClient.ReadAsync<Marketplace.Application.Orders.OrderDto>(placed[0], System.Net.HttpStatusCode.Created);
        Assert.Equal(OrderStatus.Cancelled, (await buyer.CancelOrderAsync(order.Id)).Status);
        Assert.Equal(9, (await buyer.GetListingAsync(listing.Id)).Stock);
        await buyer.PlaceOrderAsync(listing.Id);

        // The matcher's queries over cancelled orders translate on SQLite too (a failure would throw or count here).
        var pass = await _app.Services.GetRequiredService<Marketplace.Infrastructure.BackgroundJobs.PaymentWatcher>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, pass.FailedWallets);
        Assert.Equal(1, pass.Wallets);
    }
}

using System.Data.Common;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Bench.Hosting;

namespace Marketplace.Bench.Load;

/// <summary>A buyer account: its id and its bearer token.</summary>
public sealed record Buyer(Guid Id, AuthenticationHeaderValue Auth);

/// <summary>
/// The service process under load and what was seeded in it through its own API: sellers with a connected
/// sandbox wallet (the embedded emulator), listings with stock, buyers signed in. Also the benchmark's direct
/// SQL access to its database (stock top-up checks, the reset between scenarios, the integrity checks).
/// </summary>
public sealed class SeededMarketplace(ServiceProcess service, Func<Task<DbConnection>> openDatabase)
{
    private const string AdminKey = "bench-admin-key-7e2c41d09a5b83f6";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static long _lastPhone = Random.Shared.NextInt64(1_000_000, 5_000_000);

    public ServiceProcess Service { get; } = service;
    public List<Guid> Listings { get; } = [];
    public List<Buyer> Buyers { get; } = [];
    public Func<Task<DbConnection>> OpenDatabase { get; } = openDatabase;
    private readonly Dictionary<Guid, AuthenticationHeaderValue> _sellerOf = [];
    private readonly Dictionary<Guid, (Guid Seller, Guid Wallet)> _ownerOf = [];

    /// <summary>The settings every run gives the service (besides database and secrets), as the report lists them.</summary>
    public static Dictionary<string, string> CommonSettings() => new(StringComparer.Ordinal)
    {
        ["Marketplace:Mode"] = "Sandbox",
        ["QiwiEmulator:Embedded"] = "true",
        ["QiwiEmulator:StateFile"] = "",
        ["QiwiEmulator:AdminKey"] = AdminKey,
        ["Secrets:Keys:bench"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Secrets:ActiveKeyId"] = "bench",
        // All buyers sign up and in from 127.0.0.1: one address partition.
        ["Auth:Throttling:RegisterPerAddress:PermitLimit"] = "1000000",
        ["Auth:Throttling:LoginPerAddress:PermitLimit"] = "1000000",
        // A buyer places thousands of orders a minute here; the anti-hoarding caps would refuse all but the first few.
        ["Orders:RateLimit:PermitLimit"] = "1000000000",
        ["Orders:Limits:MaxUnpaidOrdersPerBuyer"] = "1000000000",
        ["Orders:Limits:MaxUnpaidOrdersPerBuyerPerListing"] = "1000000000",
    };

    public static readonly string[] SecretKeys = ["Secrets:Keys:bench", "QiwiEmulator:AdminKey", "ConnectionStrings:Marketplace"];

    public HttpClient NewClient(AuthenticationHeaderValue? auth = null)
    {
        var http = new HttpClient { BaseAddress = Service.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        if (auth is not null) http.DefaultRequestHeaders.Authorization = auth;
        return http;
    }

    public async Task SeedAsync(int sellers, int listings, int buyers, int stock, Action<string> log)
    {
        var emulator = new EmulatorClient(new HttpClient { BaseAddress = new Uri(Service.BaseAddress, "qiwi-emulator/") }, AdminKey);
        var sellerAuth = new List<(AuthenticationHeaderValue Auth, Guid Wallet, Guid Seller)>();
        for (var s = 0; s < sellers; s++)
        {
            var (sellerId, auth) = await SignUpAsync();
            var phone = "+7900" + Interlocked.Increment(ref _lastPhone).ToString(CultureInfo.InvariantCulture);
            await emulator.CreateWalletAsync(phone);
            var token = await emulator.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");
            using var http = NewClient(auth);
            var wallet = await ReadAsync(await http.PostAsJsonAsync("api/v1/wallets", new { provider = "qiwi", account = phone, token, push = false }));
            sellerAuth.Add((auth, wallet.GetProperty("id").GetGuid(), sellerId));
        }

        log($"{sellers} sellers with a connected sandbox wallet");
        for (var l = 0; l < listings; l++)
        {
            var (auth, wallet, seller) = sellerAuth[l % sellerAuth.Count];
            using var http = NewClient(auth);
            var listing = await ReadAsync(await http.PostAsJsonAsync("api/v1/listings", new
            {
                title = $"Game key {l}", description = "Activation key", category = "games",
                // One price and window for all: the pgbench script keeps the captured listing's price for every listing.
                price = new { amount = 100m, currency = "RUB" }, walletId = wallet, paymentWindowMinutes = 60,
            }));
            var id = listing.GetProperty("id").GetGuid();
            Listings.Add(id);
            _sellerOf[id] = auth;
            _ownerOf[id] = (seller, wallet);
        }

        await EnsureStockAsync(Listings, stock);
        log($"{listings} listings, {stock:N0} items each (imported through the API)");

        var signedUp = new Buyer[buyers];
        await Parallel.ForAsync(0, buyers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (b, _) =>
        {
            var (id, auth) = await SignUpAsync();
            signedUp[b] = new Buyer(id, auth);
        });
        Buyers.AddRange(signedUp);
        log($"{buyers} buyers signed up and in");
    }

    /// <summary>Tops every listing named up to at least <paramref name="perListing"/> available items, through the import API.</summary>
    public async Task EnsureStockAsync(IReadOnlyList<Guid> listings, int perListing)
    {
        var available = new Dictionary<Guid, long>();
        await using (var connection = await OpenDatabase())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"Id\", \"AvailableCount\" FROM listings";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) available[Guid.Parse(reader.GetValue(0).ToString()!)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        await Parallel.ForEachAsync(listings.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (listing, _) =>
        {
            var missing = perListing - available.GetValueOrDefault(listing);
            if (missing <= 0) return;
            using var http = NewClient(_sellerOf[listing]);
            for (long done = 0; done < missing; done += 50_000)
            {
                var keys = new StringBuilder();
                for (var i = done; i < Math.Min(missing, done + 50_000); i++) keys.Append("KEY-").Append(Guid.NewGuid().ToString("N")).Append('\n');
                await ReadAsync(await http.PostAsync($"api/v1/listings/{listing}/items/import", new StringContent(keys.ToString(), Encoding.UTF8, "text/plain")));
            }
        });
    }

    /// <summary>
    /// Between scenarios: every order still holding stock is cancelled and its items go back on sale, in SQL
    /// (what expiry would do, at once), so each scenario starts from the same stock and no unpaid orders.
    /// </summary>
    public async Task ResetOrdersAsync()
    {
        await using var connection = await OpenDatabase();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in new[]
                 {
                     "UPDATE listing_items SET \"Status\" = 'Available', \"OrderId\" = NULL WHERE \"Status\" = 'Reserved'",
                     "UPDATE orders SET \"Status\" = 'Cancelled', \"Version\" = \"Version\" + 1 WHERE \"Status\" IN ('AwaitingPayment', 'PaymentProcessing', 'PartiallyPaid')",
                     "UPDATE listings SET \"AvailableCount\" = (SELECT COUNT(*) FROM listing_items i WHERE i.\"ListingId\" = listings.\"Id\" AND i.\"Status\" = 'Available')",
                 })
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 300;
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenDatabase();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task<List<(string Name, long Broken)>> IntegrityAsync()
    {
        await using var connection = await OpenDatabase();
        return await Integrity.RunAsync(connection);
    }

    public static HttpRequestMessage PlaceOrderRequest(Guid listing, Buyer buyer)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/orders")
        {
            Content = new StringContent($"{{\"listingId\":\"{listing}\",\"quantity\":1}}", Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = buyer.Auth;
        return message;
    }

    public async Task<PlacedOrder> PlaceOneAsync(Guid listing, Buyer buyer)
    {
        using var http = NewClient();
        using var message = PlaceOrderRequest(listing, buyer);
        var order = await ReadAsync(await http.SendAsync(message));
        return new PlacedOrder(listing, buyer.Id, order.GetProperty("id").GetGuid(), _ownerOf[listing].Seller, _ownerOf[listing].Wallet);
    }

    private async Task<(Guid Id, AuthenticationHeaderValue Auth)> SignUpAsync()
    {
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        const string password = "bench-password-1";
        using var http = NewClient();
        var account = await ReadAsync(await http.PostAsJsonAsync("api/v1/auth/register", new { email, password }));
        var login = await ReadAsync(await http.PostAsJsonAsync("api/v1/auth/login", new { email, password }));
        return (account.GetProperty("id").GetGuid(), new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString()));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
            return JsonSerializer.Deserialize<JsonElement>(body, Json);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Api;

/// <summary>Every endpoint answers malformed input with a 400 ProblemDetails that names the field, never a 500.</summary>
public sealed class ValidationTests(ValidationTests.SharedApp shared) : IClassFixture<ValidationTests.SharedApp>
{
    private MarketplaceApp _app => shared.App;
    private TradeSetup _trade => shared.Trade;

    /// <summary>One app for all cases here: none of them changes state another depends on.</summary>
    public sealed class SharedApp(PostgresServer postgres) : IAsyncLifetime
    {
        public MarketplaceApp App { get; private set; } = null!;
        public TradeSetup Trade { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            App = await MarketplaceApp.StartOnPostgresAsync(postgres);
            Trade = await TradeSetup.CreateAsync(App, items: 1);
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // caller, path, JSON body, field expected in "errors"
        { "anonymous", "/api/v1/auth/register", """{"email":"not-an-email","password":"long-enough-1"}""", "email" },
        { "anonymous", "/api/v1/auth/register", """{"email":"a@example.com","password":"short"}""", "password" },
        { "anonymous", "/api/v1/auth/register", """{"email":"a@example.com"}""", "password" },
        { "anonymous", "/api/v1/auth/login", """{"email":"a@example.com","password":""}""", "password" },
        { "seller", "/api/v1/wallets", """{"provider":"paypal","account":"+79001234567","token":"t"}""", "provider" },
        { "seller", "/api/v1/wallets", """{"provider":"qiwi","account":"12ab","token":"t"}""", "account" },
        { "seller", "/api/v1/wallets", """{"provider":"qiwi","account":"+79001234567","token":""}""", "token" },
        { "seller", "/api/v1/listings", """{"title":"","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET"}""", "title" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":-5,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1.005,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1,"currency":"XYZ"},"walletId":"WALLET"}""", "price.currency" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","walletId":"WALLET"}""", "price" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":"ten","currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET","paymentWindowMinutes":1}""", "paymentWindowMinutes" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET","maxQuantityPerOrder":0}""", "maxQuantityPerOrder" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET","maxQuantityPerOrder":101}""", "maxQuantityPerOrder" },
        { "seller", "/api/v1/listings/LISTING/items", """{"items":[]}""", "items" },
        { "seller", "/api/v1/listings/not-an-id/items", """{"items":["x"]}""", "id" },
        { "seller", "/api/v1/listings/LISTING/items", """{"items":["ok","  "]}""", "items[1]" },
        { "buyer", "/api/v1/orders", """{"listingId":"LISTING","quantity":0}""", "quantity" },
        { "buyer", "/api/v1/orders", """{"quantity":1}""", "listingId" },
        { "buyer", "/api/v1/orders", """{"listingId":"LISTING","quantity":"many"}""", "quantity" },
        { "buyer", "/api/v1/orders", """{"listingId":"not-a-guid","quantity":1}""", "listingId" },
        { "buyer", "/api/v1/orders", """{"listingId":""", "listingId" },
        { "buyer", "/api/v1/orders", """[1,2]""", "body" },
        { "buyer", "/api/v1/orders/not-an-id/cancel", "{}", "id" },
        // Regressions from review: each of these was a 500.
        { "seller", "/api/v1/wallets", """{}""", "provider" },
        { "seller", "/api/v1/wallets", """{"provider":null,"account":"+79001234567","token":"t"}""", "provider" },
        { "seller", "/api/v1/listings/LISTING/items", """{}""", "items" },
        { "seller", "/api/v1/listings/LISTING/items", """{"items":null}""", "items" },
        { "seller", "/api/v1/listings/LISTING/items", """{"items":[null]}""", "items[0]" },
        { "anonymous", "/api/v1/auth/register", """{"email":"a\u0000b@example.com","password":"long-enough-1"}""", "email" },
        { "anonymous", "/api/v1/auth/login", """{"email":"a\u0000b@example.com","password":"long-enough-1"}""", "email" },
        { "anonymous", "/api/v1/auth/register", """{"email":"a@example.com","password":"long-\u0007enough-1"}""", "password" },
        { "anonymous", "/api/v1/auth/register", """{"email":"a@example.com\n","password":"long-enough-1"}""", "email" },
        { "anonymous", "/api/v1/auth/refresh", """{"refreshToken":"\u0000"}""", "refreshToken" },
        { "seller", "/api/v1/listings", """{"title":"t\u0000","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET"}""", "title" },
        { "seller", "/api/v1/listings", """{"title":"two\nlines","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET"}""", "title" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"ga\tmes","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET"}""", "category" },
        { "seller", "/api/v1/listings", """{"title":"t","description":"bell\u0007","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET"}""", "description" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1,"currency":"RUB\u0085"},"walletId":"WALLET"}""", "price.currency" },
        { "seller", "/api/v1/listings/LISTING/items", """{"items":["KEY\u0000"]}""", "items[0]" },
        { "seller", "/api/v1/wallets", """{"provider":"qiwi","account":"+79001234567","token":"t\u001f"}""", "token" },
        { "seller", "/api/v1/wallets", """{"provider":"qiwi\r","account":"+79001234567","token":"t"}""", "provider" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1.999999999999999999,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1.9999999999999999999999999999999,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1.00000000000000000000000000000001,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1e30,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":1e-40,"currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"t","category":"games","price":{"amount":"1.999","currency":"RUB"},"walletId":"WALLET"}""", "price.amount" },
        { "seller", "/api/v1/listings", """{"title":"XXL","category":"games","price":{"amount":1,"currency":"RUB"},"walletId":"WALLET"}""", "title" },
        { "buyer", "/api/v1/orders", """{"listingId":"LISTING","quantity":2147483648}""", "quantity" },
    };

    /// <summary>Every endpoint with a body, with a valid body, for the empty and null body cases.</summary>
    public static TheoryData<string, string> BodyEndpoints => new()
    {
        { "anonymous", "/api/v1/auth/register" },
        { "anonymous", "/api/v1/auth/login" },
        { "anonymous", "/api/v1/auth/refresh" },
        { "seller", "/api/v1/wallets" },
        { "seller", "/api/v1/listings" },
        { "seller", "/api/v1/listings/LISTING/items" },
        { "buyer", "/api/v1/orders" },
    };

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_missing_or_null_body_is_a_400_naming_the_body(string caller, string path)
    {
        var client = Client(caller);
        path = path.Replace("LISTING", _trade.Listing.Id.ToString(), StringComparison.Ordinal);

        foreach (var content in new HttpContent?[]
                 {
                     null,
                     new StringContent("", Encoding.UTF8, "application/json"),
                     new StringContent("null", Encoding.UTF8, "application/json"),
                     new StringContent("  null  ", Encoding.UTF8, "application/json"),
                 })
        {
            var response = await client.PostAsync(path, content);
            var text = await AssertNamesFieldAsync(response, "body");
            Assert.Contains("A request body is required.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        var response = await _app.CreateClient().PostAsync("/api/v1/auth/login",
            new StringContent("""{"email":"a@example.com","password":"long-enough-1"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Amounts_with_trailing_zeros_beyond_two_digits_are_accepted()
    {
        var response = await _trade.Seller.Http.PostAsync("/api/v1/listings", new StringContent(
            $$"""{"title":"t","category":"games","price":{"amount":150.000000000000000000000000000000000,"currency":"RUB"},"walletId":"{{_trade.SellerWallet.Id}}"}""",
            Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.Equal(150.00m, JsonDocument.Parse(body).RootElement.GetProperty("price").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_a_413_problem()
    {
        var huge = new string('x', 12 * 1024 * 1024);
        var response = await _trade.Seller.Http.PostAsync($"/api/v1/listings/{_trade.Listing.Id}/items",
            new StringContent($$"""{"items":["{{huge}}"]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_chunked_body_over_the_size_limit_is_a_413_problem()
    {
        var huge = Encoding.UTF8.GetBytes($$"""{"items":["{{new string('x', 12 * 1024 * 1024)}}"]}""");
        var content = new StreamContent(new UnknownLengthStream(huge));
        content.Headers.ContentType = new("application/json");
        Assert.Null(content.Headers.ContentLength);

        var response = await _trade.Seller.Http.PostAsync($"/api/v1/listings/{_trade.Listing.Id}/items", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"Expected 413, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A stream that does not tell its length, so the client sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task A_huge_string_is_a_400_naming_the_field()
    {
        var huge = new string('x', 100_000);
        var response = await _app.CreateClient().PostAsync("/api/v1/auth/register",
            new StringContent($$"""{"email":"{{huge}}@example.com","password":"long-enough-1"}""", Encoding.UTF8, "application/json"));

        await AssertNamesFieldAsync(response, "email");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_input_is_a_400_naming_the_field(string caller, string path, string body, string field)
    {
        var client = Client(caller);
        path = path.Replace("LISTING", _trade.Listing.Id.ToString(), StringComparison.Ordinal);
        body = body.Replace("WALLET", _trade.SellerWallet.Id.ToString(), StringComparison.Ordinal)
                   .Replace("LISTING", _trade.Listing.Id.ToString(), StringComparison.Ordinal)
                   .Replace("XXL", new string('x', 100_000), StringComparison.Ordinal);

        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertNamesFieldAsync(response, field);
    }

    [Theory]
    [InlineData("/api/v1/listings?pageSize=1000", "pageSize")]
    [InlineData("/api/v1/listings?page=0", "page")]
    [InlineData("/api/v1/listings?page=abc", "page")]
    [InlineData("/api/v1/orders?role=admin", "role")]
    [InlineData("/api/v1/orders?status=Lost", "status")]
    [InlineData("/api/v1/orders?status=1", "status")]
    [InlineData("/api/v1/orders?status=AwaitingPayment,Delivered", "status")]
    [InlineData("/api/v1/orders/not-an-id", "id")]
    [InlineData("/api/v1/listings/not-an-id", "id")]
    [InlineData("/api/v1/listings?page=2147483647", "page")]
    [InlineData("/api/v1/listings?page=1000001", "page")]
    [InlineData("/api/v1/orders?page=2147483647", "page")]
    [InlineData("/api/v1/orders?page=2147483647&pageSize=100", "page")]
    [InlineData("/api/v1/listings?category=%00", "category")]
    [InlineData("/api/v1/listings?category=ga%0Ames", "category")]
    [InlineData("/api/v1/listings?category=ga%C2%85mes", "category")]
    [InlineData("/api/v1/orders?role=buyer%00", "role")]
    public async Task Malformed_query_parameters_are_a_400_naming_the_parameter(string url, string field)
    {
        await AssertNamesFieldAsync(await _trade.Buyer.Http.GetAsync(url), field);
    }

    [Fact]
    public async Task Protected_endpoints_need_a_token_and_say_so_as_problem_details()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/v1/orders", new { listingId = _trade.Listing.Id, quantity = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_resources_are_404_problem_details()
    {
        var listing = await _trade.Buyer.Http.GetAsync($"/api/v1/listings/{Guid.NewGuid()}");
        var order = await _trade.Buyer.Http.PostAsJsonAsync("/api/v1/orders", new { listingId = Guid.NewGuid(), quantity = 1 });

        Assert.Equal(HttpStatusCode.NotFound, listing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, order.StatusCode);
        Assert.Equal("application/problem+json", order.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Registering_the_same_email_twice_is_a_conflict_whatever_its_case()
    {
        var client = _app.CreateClient();
        (await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "Dup@Example.com", password = "long-enough-1" })).EnsureSuccessStatusCode();

        var again = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "dup@example.com ", password = "long-enough-2" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_buys_a_working_access_token_and_garbage_does_not()
    {
        var client = _app.CreateClient();
        (await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "refresh@example.com", password = "long-enough-1" })).EnsureSuccessStatusCode();
        var login = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "refresh@example.com", password = "long-enough-1" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var refreshed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
        var garbage = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "nonsense" });

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var token = (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders");
        request.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_401()
    {
        var client = _app.CreateClient();
        (await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "pw@example.com", password = "long-enough-1" })).EnsureSuccessStatusCode();

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "pw@example.com", password = "long-enough-2" });

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Duplicate_items_are_skipped_and_counted()
    {
        var before = (await _trade.Seller.GetListingAsync(_trade.Listing.Id)).Stock;
        var result = await _trade.Seller.AddItemsAsync(_trade.Listing.Id, "NEW-1", "NEW-1", _trade.Items[0], "NEW-2");

        Assert.Equal(2, result.GetProperty("added").GetInt32());
        Assert.Equal(2, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(before + 2, result.GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task Only_the_seller_can_add_items_to_a_listing()
    {
        var response = await _trade.Buyer.Http.PostAsJsonAsync($"/api/v1/listings/{_trade.Listing.Id}/items", new { items = new[] { "X" } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private HttpClient Client(string caller) =>
        caller switch { "seller" => _trade.Seller.Http, "buyer" => _trade.Buyer.Http, _ => _app.CreateClient() };

    private static async Task<string> AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}': {text}");
        Assert.Equal(400, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        return text;
    }
}

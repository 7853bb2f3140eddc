using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Infrastructure.Persistence;
using Marketplace.Infrastructure.Security;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// Accounts and sessions through HTTP: throttles, lockout, no user enumeration, the password and
/// email rules, rotating refresh tokens with reuse detection, logout and password change.
/// Tests that need low limits start their own app; the rest share one with the harness's high limits.
/// </summary>
public sealed class AccountSecurityTests(AccountSecurityTests.SharedApp shared, PostgresServer postgres)
    : IClassFixture<AccountSecurityTests.SharedApp>
{
    private const string Password = "correct-horse-1";
    private MarketplaceApp App => shared.App;

    public sealed class SharedApp(PostgresServer postgres) : IAsyncLifetime
    {
        public MarketplaceApp App { get; private set; } = null!;

        public async ValueTask InitializeAsync() => App = await MarketplaceApp.StartOnPostgresAsync(postgres);

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    // ---- throttling -------------------------------------------------------------------------

    [Fact]
    public async Task Login_is_throttled_per_account_whatever_the_case_of_the_email()
    {
        await using var app = await StartAsync(new() { ["Auth:Throttling:LoginPerAccount:PermitLimit"] = "3" });
        var http = app.CreateClient();
        var email = await RegisterAsync(http);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, i == 1 ? " " + email.ToUpperInvariant() : email, "wrong-password-1")).StatusCode);
        var throttled = await LoginAsync(http, email, Password);
        var otherAccount = await LoginAsync(http, "someone-else@example.com", "wrong-password-1");

        await AssertTooManyRequestsAsync(throttled, maxRetryAfterSeconds: 60);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAccount.StatusCode);
    }

    [Fact]
    public async Task Login_is_throttled_per_client_address()
    {
        await using var app = await StartAsync(new() { ["Auth:Throttling:LoginPerAddress:PermitLimit"] = "3" });
        var http = app.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, $"nobody-{i}@example.com", "wrong-password-1")).StatusCode);

        await AssertTooManyRequestsAsync(await LoginAsync(http, "nobody-4@example.com", "wrong-password-1"), maxRetryAfterSeconds: 60);
    }

    [Fact]
    public async Task Register_is_throttled_per_client_address()
    {
        await using var app = await StartAsync(new() { ["Auth:Throttling:RegisterPerAddress:PermitLimit"] = "2" });
        var http = app.CreateClient();
        await RegisterAsync(http);
        await RegisterAsync(http);

        var third = await http.PostAsJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password = Password });

        await AssertTooManyRequestsAsync(third, maxRetryAfterSeconds: 3600);
    }

    // ---- lockout ----------------------------------------------------------------------------

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_on_every_instance_without_revealing_the_password()
    {
        await using var app = await StartAsync(new()
        {
            ["Auth:Lockout:MaxFailedAttempts"] = "3",
            ["Auth:Lockout:Duration"] = "00:15:00",
        });
        var http = app.CreateClient();
        var email = await RegisterAsync(http);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, email, "wrong-password-1")).StatusCode);

        var right = await LoginAsync(http, email, Password);
        var wrong = await LoginAsync(http, email, "wrong-password-1");
        await using var other = app.StartAnotherInstance(); // the lock is in the database, not in one process
        var elsewhere = await LoginAsync(other.CreateClient(), email, Password);

        // Locked: the right and the wrong password get the same answer.
        var rightBody = await AssertTooManyRequestsAsync(right, maxRetryAfterSeconds: 900);
        var wrongBody = await AssertTooManyRequestsAsync(wrong, maxRetryAfterSeconds: 900);
        await AssertTooManyRequestsAsync(elsewhere, maxRetryAfterSeconds: 900);
        Assert.Equal(rightBody.GetProperty("code").GetString(), wrongBody.GetProperty("code").GetString());
        Assert.Equal(rightBody.GetProperty("detail").GetString(), wrongBody.GetProperty("detail").GetString());
        Assert.Equal(right.Headers.RetryAfter?.ToString(), wrong.Headers.RetryAfter?.ToString());

        app.FakeClock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, email, Password)).StatusCode);
    }

    [Fact]
    public async Task A_correct_password_resets_the_count_of_wrong_ones()
    {
        await using var app = await StartAsync(new() { ["Auth:Lockout:MaxFailedAttempts"] = "3" });
        var http = app.CreateClient();
        var email = await RegisterAsync(http);

        await LoginAsync(http, email, "wrong-password-1");
        await LoginAsync(http, email, "wrong-password-1");
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, email, Password)).StatusCode);
        await LoginAsync(http, email, "wrong-password-1");
        await LoginAsync(http, email, "wrong-password-1");

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, email, Password)).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Accounts.SingleAsync(a => a.Email == email);
        Assert.Equal(0, account.FailedPasswordCount);
        Assert.Null(account.LockedOutUntil);
    }

    [Fact]
    public async Task Parallel_wrong_passwords_all_count_toward_the_lockout()
    {
        await using var app = await StartAsync(new() { ["Auth:Lockout:MaxFailedAttempts"] = "5" });
        var http = app.CreateClient();
        var email = await RegisterAsync(http);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => LoginAsync(http, email, "wrong-password-1")));

        await AssertTooManyRequestsAsync(await LoginAsync(http, email, Password), maxRetryAfterSeconds: 900);
    }

    // ---- no user enumeration ----------------------------------------------------------------

    [Fact]
    public async Task An_unknown_email_costs_the_same_hashing_work_as_a_wrong_password()
    {
        var hasher = new CountingPasswordHasher(new IdentityPasswordHasher());
        await using var app = await StartAsync([], services => services.AddSingleton<IPasswordHasher>(hasher));
        var http = app.CreateClient();
        var email = await RegisterAsync(http);

        hasher.Reset();
        var unknown = await LoginAsync(http, NewEmail(), "wrong-password-1");
        var unknownVerifications = hasher.Verifications;
        hasher.Reset();
        var wrong = await LoginAsync(http, email, "wrong-password-1");
        var wrongVerifications = hasher.Verifications;

        Assert.Equal(1, unknownVerifications);
        Assert.Equal(1, wrongVerifications);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal((await ReadJsonAsync(unknown)).GetProperty("detail").GetString(), (await ReadJsonAsync(wrong)).GetProperty("detail").GetString());
    }

    // ---- password and email rules -----------------------------------------------------------

    public static TheoryData<string, bool> Passwords => new()
    {
        { "nine-char", false },                       // 9 code points
        { "ten-chars!", true },                        // 10
        { "correct horse battery staple", true },      // spaces are fine
        { "1234567890", false },                       // common
        { "Password123", false },                      // common, compared lower-cased
        { "QWERTYUIOP", false },                       // common, compared lower-cased
        { "🔑🔑🔑🔑🔑", false },                         // 10 UTF-16 units but 5 code points
        { "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", true },                    // 10 code points
        { new string('x', 64) + "ок" + new string('y', 62), true }, // 128 code points
        { new string('x', 129), false },               // 129
        { string.Concat(Enumerable.Repeat("🔑", 128)), true },      // 128 code points, 256 UTF-16 units
        { "tab\tinside-it", false },                   // control character
        { "bell-in-it-\u0007", false },
    };

    [Theory]
    [MemberData(nameof(Passwords))]
    public async Task Register_enforces_the_password_policy(string password, bool accepted)
    {
        var response = await App.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password });

        if (accepted) Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        else await AssertNamesFieldAsync(response, "password");
    }

    [Fact]
    public async Task The_password_must_not_be_the_email()
    {
        var email = NewEmail();
        await AssertNamesFieldAsync(await App.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { email, password = email.ToUpperInvariant() }), "password");
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("a@b")]
    [InlineData("a@@example.com")]
    [InlineData("a@b@example.com")]
    [InlineData("@example.com")]
    [InlineData("first last@example.com")]
    [InlineData("a@exa mple.com")]
    [InlineData("a\u0001b@example.com")]
    [InlineData("a@example..com")]
    [InlineData("a@.example.com")]
    [InlineData("a@example.com.")]
    [InlineData("")]
    public async Task Register_refuses_malformed_emails(string email)
    {
        await AssertNamesFieldAsync(await App.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password }), "email");
    }

    [Fact]
    public async Task Register_refuses_emails_over_254_characters_and_accepts_ordinary_ones()
    {
        var http = App.CreateClient();
        var tooLong = new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com"; // 308 characters
        var fine = $"First.Last+tag-{Guid.NewGuid():N}@mail.example.co.uk";

        await AssertNamesFieldAsync(await http.PostAsJsonAsync("/api/v1/auth/register", new { email = tooLong, password = Password }), "email");
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/auth/register", new { email = fine, password = Password })).StatusCode);
    }

    // ---- sessions ---------------------------------------------------------------------------

    [Fact]
    public async Task Refresh_rotates_the_token_and_reusing_an_old_one_ends_the_whole_session()
    {
        var http = App.CreateClient();
        var email = await RegisterAsync(http);
        var first = await LoginPairAsync(http, email);

        var second = await RefreshAsync(http, first.RefreshToken);
        Assert.NotNull(second);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await GetOrdersAsync(http, second.AccessToken));
        var third = await RefreshAsync(http, second.RefreshToken);
        Assert.NotNull(third);

        // The first token again: a copy is in someone else's hands. Everything of this login ends.
        var replay = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.Null(await RefreshAsync(http, third.RefreshToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, third.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, first.AccessToken));

        // Another login of the same account is another session, untouched.
        var otherSession = await LoginPairAsync(http, email);
        Assert.Equal(HttpStatusCode.OK, await GetOrdersAsync(http, otherSession.AccessToken));
    }

    [Fact]
    public async Task Two_refreshes_racing_with_one_token_let_at_most_one_through_and_end_the_session()
    {
        var http = App.CreateClient();
        var pair = await LoginPairAsync(http, await RegisterAsync(http));

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = pair.RefreshToken })));

        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Unauthorized);
        var won = await ReadPairAsync(winners[0]);
        Assert.Null(await RefreshAsync(http, won.RefreshToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, won.AccessToken));
    }

    [Fact]
    public async Task Refresh_tokens_expire_and_bad_ones_are_401_or_400()
    {
        var http = App.CreateClient();
        var pair = await LoginPairAsync(http, await RegisterAsync(http));

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "nonsense" })).StatusCode);
        await AssertNamesFieldAsync(await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "" }), "refreshToken");
        App.FakeClock.Advance(TimeSpan.FromDays(15)); // past the 14-day refresh-token lifetime
        Assert.Null(await RefreshAsync(http, pair.RefreshToken));
    }

    [Fact]
    public async Task An_access_token_is_refused_once_it_expires_while_its_session_lives_on()
    {
        await using var app = await StartAsync(new() { ["Auth:AccessTokenLifetime"] = "00:10:00" });
        var http = app.CreateClient();
        var pair = await LoginPairAsync(http, await RegisterAsync(http));
        Assert.Equal(HttpStatusCode.OK, await GetOrdersAsync(http, pair.AccessToken));

        app.FakeClock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, pair.AccessToken));
        var renewed = await RefreshAsync(http, pair.RefreshToken); // the session itself is still live
        Assert.NotNull(renewed);
        Assert.Equal(HttpStatusCode.OK, await GetOrdersAsync(http, renewed.AccessToken));
    }

    [Fact]
    public async Task Logout_ends_the_callers_session_at_once_and_only_that_one()
    {
        var http = App.CreateClient();
        var email = await RegisterAsync(http);
        var phone = await LoginPairAsync(http, email);
        var laptop = await LoginPairAsync(http, email);

        var anonymous = await http.PostAsync("/api/v1/auth/logout", null);
        var logout = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/logout", phone.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, phone.AccessToken));
        Assert.Null(await RefreshAsync(http, phone.RefreshToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Post, "/api/v1/auth/logout", phone.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await GetOrdersAsync(http, laptop.AccessToken));
        Assert.NotNull(await RefreshAsync(http, laptop.RefreshToken));
    }

    [Fact]
    public async Task Changing_the_password_ends_every_session_and_returns_a_fresh_one()
    {
        var http = App.CreateClient();
        var email = await RegisterAsync(http);
        var phone = await LoginPairAsync(http, email);
        var laptop = await LoginPairAsync(http, email);

        var anonymous = await http.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = Password, newPassword = "a-new-secret-2" });
        var wrongCurrent = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", phone.AccessToken,
            new { currentPassword = "not-my-password", newPassword = "a-new-secret-2" });
        var weakNew = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", phone.AccessToken,
            new { currentPassword = Password, newPassword = "password1234" });
        var paddedCommon = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", phone.AccessToken,
            new { currentPassword = Password, newPassword = "  password1234  " });
        var ownEmail = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", phone.AccessToken,
            new { currentPassword = Password, newPassword = email.ToUpperInvariant() });
        var changed = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", phone.AccessToken,
            new { currentPassword = Password, newPassword = "a-new-secret-2" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await AssertNamesFieldAsync(wrongCurrent, "currentPassword");
        await AssertNamesFieldAsync(weakNew, "newPassword");
        await AssertNamesFieldAsync(paddedCommon, "newPassword");
        await AssertNamesFieldAsync(ownEmail, "newPassword");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var fresh = await ReadPairAsync(changed);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, phone.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetOrdersAsync(http, laptop.AccessToken));
        Assert.Null(await RefreshAsync(http, laptop.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, await GetOrdersAsync(http, fresh.AccessToken));
        Assert.NotNull(await RefreshAsync(http, fresh.RefreshToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, email, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, email, "a-new-secret-2")).StatusCode);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_toward_the_lockout()
    {
        await using var app = await StartAsync(new() { ["Auth:Lockout:MaxFailedAttempts"] = "2" });
        var http = app.CreateClient();
        var email = await RegisterAsync(http);
        var pair = await LoginPairAsync(http, email);

        for (var i = 0; i < 2; i++)
            await AssertNamesFieldAsync(await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", pair.AccessToken,
                new { currentPassword = "not-my-password", newPassword = "a-new-secret-2" }), "currentPassword");
        var locked = await SendAsync(http, HttpMethod.Post, "/api/v1/auth/password", pair.AccessToken,
            new { currentPassword = Password, newPassword = "a-new-secret-2" });

        await AssertTooManyRequestsAsync(locked, maxRetryAfterSeconds: 900);
        await AssertTooManyRequestsAsync(await LoginAsync(http, email, Password), maxRetryAfterSeconds: 900);
    }

    [Fact]
    public async Task The_new_endpoints_are_in_the_swagger_document()
    {
        var swagger = await App.CreateClient().GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = swagger.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/auth/logout", "/api/v1/auth/password", "/api/v1/auth/refresh", "/api/v1/auth/login" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var login = paths.GetProperty("/api/v1/auth/login").GetProperty("post").GetProperty("responses");
        Assert.True(login.TryGetProperty("429", out _));
        Assert.True(paths.GetProperty("/api/v1/auth/logout").GetProperty("post").GetProperty("responses").TryGetProperty("204", out _));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private sealed record TokenPair(string AccessToken, string RefreshToken);

    private Task<MarketplaceApp> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        MarketplaceApp.StartOnPostgresAsync(postgres, settings: settings, configureServices: services);

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    private static async Task<string> RegisterAsync(HttpClient http)
    {
        var email = NewEmail();
        var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return email;
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string email, string password) =>
        http.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    private static async Task<TokenPair> LoginPairAsync(HttpClient http, string email)
    {
        var response = await LoginAsync(http, email, Password);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadPairAsync(response);
    }

    private static async Task<TokenPair> ReadPairAsync(HttpResponseMessage response)
    {
        var body = await ReadJsonAsync(response);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.True(body.GetProperty("expiresIn").GetInt64() > 0);
        return new TokenPair(body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>The next pair, or null when the refresh token was refused (401).</summary>
    private static async Task<TokenPair?> RefreshAsync(HttpClient http, string refreshToken)
    {
        var response = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
        if (response.StatusCode == HttpStatusCode.Unauthorized) return null;
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadPairAsync(response);
    }

    private static async Task<HttpStatusCode> GetOrdersAsync(HttpClient http, string accessToken) =>
        (await SendAsync(http, HttpMethod.Get, "/api/v1/orders", accessToken)).StatusCode;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<JsonElement> AssertTooManyRequestsAsync(HttpResponseMessage response, int maxRetryAfterSeconds)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"Expected 429, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, maxRetryAfterSeconds);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("rate_limited", body.GetProperty("code").GetString());
        return body;
    }

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}': {text}");
    }

    /// <summary>Counts the hashing work, to prove both failure paths of login do the same.</summary>
    private sealed class CountingPasswordHasher(IPasswordHasher inner) : IPasswordHasher
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public void Reset() => Interlocked.Exchange(ref _verifications, 0);

        public string Hash(string password) => inner.Hash(password);

        public PasswordCheck Verify(string hash, string password)
        {
            Interlocked.Increment(ref _verifications);
            return inner.Verify(hash, password);
        }
    }
}

using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Profile (contract §2) and balances (§4).</summary>
internal static class WalletInfoEndpoints
{
    private static readonly Dictionary<string, int> Aliases = new(StringComparer.Ordinal)
    {
        ["qw_wallet_rub"] = 643, ["qw_wallet_usd"] = 840, ["qw_wallet_eur"] = 978, ["qw_wallet_kzt"] = 398,
    };

    private static EmulatorWallet? OwnWallet(HttpRequest request, EmulatorState state, long personId, PermissionGroup group) =>
        state.Authenticate(QiwiResponses.Bearer(request), group).Wallet is { } wallet && wallet.PersonId == personId ? wallet : null;

    private static IResult Denied(HttpRequest request, EmulatorState state, long personId)
    {
        var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.BalanceRead);
        return auth.Wallet is null ? QiwiResponses.Denied(auth, "funding-sources") : QiwiResponses.EdgeError(403, "funding-sources", "auth.forbidden", "Access denied");
    }

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/person-profile/v1/profile/current", (HttpRequest request, EmulatorState state,
            bool? authInfoEnabled, bool? contractInfoEnabled, bool? userInfoEnabled) =>
        {
            if (!QiwiResponses.AcceptsJson(request)) return QiwiResponses.Validation("person-profile", "Unsupported Accept header");
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.ProfileRead);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, "person-profile");

            var created = wallet.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var body = new Dictionary<string, object?>();
            if (authInfoEnabled ?? true)
                body["authInfo"] = new
                {
                    boundEmail = (string?)null, ip = "127.0.0.1", lastLoginDate = created, personId = wallet.PersonId,
                    registrationDate = created,
                    mobilePinInfo = new { lastMobilePinChange = created, mobilePinUsed = true, nextMobilePinChange = created },
                    passInfo = new { lastPassChange = created, nextPassChange = created, passwordUsed = true },
                    pinInfo = new { pinUsed = true },
                };
            if (contractInfoEnabled ?? true)
                body["contractInfo"] = new
                {
                    blocked = false, contractId = wallet.PersonId, creationDate = created, features = Array.Empty<object>(),
                    identificationInfo = new[] { new { bankAlias = "QIWI", identificationLevel = "VERIFIED", passportExpired = false } },
                };
            if (userInfoEnabled ?? true)
                body["userInfo"] = new
                {
                    defaultPayCurrency = 643, defaultPaySource = 7, email = (string?)null, firstTxnId = 0L, language = "ru",
                    @operator = "Emulator", phoneHash = "emulator", promoEnabled = (bool?)null,
                };
            return QiwiResponses.Ok(body);
        });

        routes.MapGet("/identification/v1/persons/{wallet}/identification", (HttpRequest request, EmulatorState state, long wallet) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.ProfileRead);
            if (auth.Wallet is not { } owner) return QiwiResponses.Denied(auth, "identification");
            if (owner.PersonId != wallet) return QiwiResponses.EdgeError(403, "identification", "auth.forbidden", "Access denied");
            // Identity fields come back masked, as QIWI masked them.
            return QiwiResponses.Ok(new
            {
                id = owner.PersonId, type = "VERIFIED", birthDate = "1990-01-01", firstName = "И***", middleName = "И***",
                lastName = "И***", passport = "45**********", inn = "77**********", snils = (string?)null, oms = (string?)null,
            });
        });

        routes.MapGet("/funding-sources/v2/persons/{personId}/accounts/offer", (HttpRequest request, EmulatorState state, long personId) =>
        {
            if (OwnWallet(request, state, personId, PermissionGroup.BalanceRead) is not { } wallet) return Denied(request, state, personId);
            var held = state.Balances(wallet).Keys.ToHashSet();
            return QiwiResponses.Ok(Aliases.Where(a => !held.Contains(a.Value)).Select(a => new { alias = a.Key, currency = a.Value }));
        });

        routes.MapPost("/funding-sources/v2/persons/{personId}/accounts", async (HttpRequest request, EmulatorState state, long personId) =>
        {
            if (OwnWallet(request, state, personId, PermissionGroup.BalanceRead) is not { } wallet) return Denied(request, state, personId);
            var body = await ReadBodyAsync<Dictionary<string, string>>(request);
            if (body?.GetValueOrDefault("alias") is not { } alias || !Aliases.TryGetValue(alias, out var currency))
                return QiwiResponses.Validation("funding-sources", "Unknown alias");
            return state.AddCurrencyAccount(wallet, currency)
                ? Results.StatusCode(201)
                : QiwiResponses.EdgeError(422, "funding-sources", "account.already.exists", "Account already exists");
        });

        routes.MapPatch("/funding-sources/v2/persons/{personId}/accounts/{alias}", async (HttpRequest request, EmulatorState state, long personId, string alias) =>
        {
            if (OwnWallet(request, state, personId, PermissionGroup.BalanceRead) is not { } wallet) return Denied(request, state, personId);
            var body = await ReadBodyAsync<Dictionary<string, bool>>(request);
            if (body?.GetValueOrDefault("defaultAccount") != true || !Aliases.TryGetValue(alias, out var currency))
                return QiwiResponses.Validation("funding-sources", "Expected {\"defaultAccount\":true} for a known alias");
            return state.SetDefaultCurrency(wallet, currency)
                ? Results.StatusCode(204)
                : QiwiResponses.EdgeError(404, "funding-sources", "account.not.found", "No such account");
        });

        routes.MapGet("/funding-sources/v2/persons/{personId}/accounts", (HttpRequest request, EmulatorState state, long personId) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.BalanceRead);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, "funding-sources");
            if (wallet.PersonId != personId) return QiwiResponses.EdgeError(403, "funding-sources", "auth.forbidden", "Access denied");

            var accounts = state.Balances(wallet).OrderBy(b => b.Key).Select(b =>
            {
                var code = b.Key switch { 643 => "rub", 840 => "usd", 978 => "eur", 398 => "kzt", _ => b.Key.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                return new
                {
                    alias = "qw_wallet_" + code, fsAlias = "qb_wallet", bankAlias = "QIWI", title = "WALLET",
                    type = new { id = "WALLET", title = "QIWI Wallet" }, hasBalance = true,
                    balance = QiwiWire.Money(b.Value, b.Key), currency = b.Key, defaultAccount = b.Key == wallet.DefaultCurrency,
                };
            });
            return QiwiResponses.Ok(new { accounts });
        });
    }

    /// <summary>The body as JSON, or null when it is not (then the caller answers QIWI's validation error, never a 500).</summary>
    private static async Task<T?> ReadBodyAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<T>(request.Body, QiwiWire.Json, request.HttpContext.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

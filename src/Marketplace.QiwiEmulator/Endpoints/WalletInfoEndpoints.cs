using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Profile (contract §2) and balances (§4).</summary>
internal static class WalletInfoEndpoints
{
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
                    balance = QiwiWire.Money(b.Value, b.Key), currency = b.Key, defaultAccount = b.Key == 643,
                };
            });
            return QiwiResponses.Ok(new { accounts });
        });
    }
}

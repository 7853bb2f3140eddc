using System.Globalization;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// The wallet's secondary services: operation limits (contract §9.4), restrictions (§2.2), nickname
/// and cross rates (§6.4), and the provider catalogue (§6.5). Permission groups as documented in
/// docs/qiwi-rail.md: limits, restrictions and nickname need "profile" (group 1); rates and the
/// catalogue any valid token.
/// </summary>
internal static class WalletServicesEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/qw-limits/v1/persons/{wallet}/actual-limits", (HttpRequest request, EmulatorState state, string wallet) =>
        {
            const string service = "qw-limits";
            if (QiwiResponses.OwnWallet(request, state, service, PermissionGroup.ProfileRead, wallet, out var owner) is { } denied) return denied;
            if (LimitTypes(request.Query) is not { } types)
                return QiwiResponses.Validation(service, "types[n] must name at least one of " + string.Join(", ", EmulatorState.LimitTypes));
            return QiwiResponses.Ok(new
            {
                // A dictionary: its keys are written as given ("RU"), where a member name would be camel-cased.
                limits = new Dictionary<string, object>
                {
                    ["RU"] = state.ActualLimits(owner, types).Select(l => new
                    {
                        type = l.Type, currency = "RUB", rest = l.Rest, max = l.Max, spent = l.Spent,
                        interval = new { dateFrom = QiwiWire.Date(l.From, QiwiWire.Moscow), dateTill = QiwiWire.Date(l.Till, QiwiWire.Moscow) },
                    }),
                },
            });
        });

        routes.MapGet("/person-profile/v1/persons/{wallet}/status/restrictions", (HttpRequest request, EmulatorState state, string wallet) =>
        {
            if (QiwiResponses.OwnWallet(request, state, "person-profile", PermissionGroup.ProfileRead, wallet, out var owner) is { } denied) return denied;
            // An empty array when the wallet has no restriction (documented).
            return QiwiResponses.Ok(state.IsOutgoingRestricted(owner)
                ? new[] { new { restrictionCode = "OUTGOING_PAYMENTS", restrictionDescription = "Исходящие платежи заблокированы" } }
                : []);
        });

        routes.MapGet("/qw-nicknames/v1/persons/{wallet}/nickname", (HttpRequest request, EmulatorState state, string wallet) =>
        {
            if (QiwiResponses.OwnWallet(request, state, "qw-nicknames", PermissionGroup.ProfileRead, wallet, out var owner) is { } denied) return denied;
            // The emulator's nicknames are derived from the wallet number, so they cannot be changed.
            return QiwiResponses.Ok(new { canChange = false, canUse = true, description = "", nickname = EmulatorState.NicknameOf(owner.PersonId) });
        });

        routes.MapGet("/sinap/crossRates", (HttpRequest request, EmulatorState state) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.None);
            if (auth.Wallet is null) return QiwiResponses.Denied(auth, "sinap");
            return QiwiResponses.Ok(new
            {
                result = state.CrossRates().Select(r => new { set = "General", from = r.From, to = r.To, rate = r.Rate }),
            });
        });

        routes.MapGet("/providers-catalog/v2/providers/{providerId}", (HttpRequest request, EmulatorState state, string providerId) =>
        {
            const string service = "providers-catalog";
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.None);
            if (auth.Wallet is null) return QiwiResponses.Denied(auth, service);
            if (!int.TryParse(providerId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return QiwiResponses.Validation(service, "The provider id must be a number");
            return QiwiWire.CatalogEntry(id) is { } entry
                ? QiwiResponses.Ok(entry)
                : QiwiResponses.EdgeError(404, service, "provider.not.found", "Provider not found");
        });
    }

    /// <summary>
    /// The requested limit types, in order: QIWI's indexed form types[0]=A&amp;types[1]=B, or a repeated
    /// types=A&amp;types=B as some clients write it. Null when none is given or one is unknown.
    /// </summary>
    private static List<string>? LimitTypes(IQueryCollection query)
    {
        var indexed = new List<(int Index, string Value)>();
        foreach (var (key, values) in query)
        {
            if (key == "types" || key == "types[]")
            {
                foreach (var value in values) indexed.Add((int.MaxValue, value ?? ""));
                continue;
            }

            if (!key.StartsWith("types[", StringComparison.Ordinal) || !key.EndsWith(']')) continue;
            if (!int.TryParse(key["types[".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return null;
            foreach (var value in values) indexed.Add((index, value ?? ""));
        }

        var types = indexed.OrderBy(t => t.Index).Select(t => t.Value.Trim()).Distinct(StringComparer.Ordinal).ToList();
        return types.Count == 0 || types.Any(t => !EmulatorState.LimitTypes.Contains(t)) ? null : types;
    }
}

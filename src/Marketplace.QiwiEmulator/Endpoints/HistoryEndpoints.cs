using System.Globalization;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Payment history (contract §3): list with filters and paging, single transaction, totals.</summary>
internal static class HistoryEndpoints
{
    private const string Service = "payment-history";
    private static readonly string[] Operations = ["ALL", "IN", "OUT", "QIWI_CARD"];
    private static readonly Dictionary<string, int?> Sources = new(StringComparer.Ordinal)
    {
        ["QW_RUB"] = 643, ["QW_USD"] = 840, ["QW_EUR"] = 978, ["QW_KZT"] = 398, ["CARD"] = null, ["MK"] = null,
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/payment-history/v2/persons/{wallet}/payments", List);
        routes.MapGet("/payment-history/v2/persons/{wallet}/payments/total", Total);
        routes.MapGet("/payment-history/v2/transactions/{txnId}", (HttpRequest r, EmulatorState s, long txnId, string? type) => Single(r, s, txnId, type, false));
        routes.MapGet("/payment-history/v1/transactions/{txnId}", (HttpRequest r, EmulatorState s, long txnId, string? type) => Single(r, s, txnId, type, true));
    }

    private static IResult List(HttpRequest request, EmulatorState state, IOptions<EmulatorOptions> options, long wallet)
    {
        if (Authorize(request, state, wallet) is { } denied) return denied;
        var owner = state.FindWallet(wallet)!;
        if (!state.TryConsumeHistoryRequest(owner))
            return QiwiResponses.EdgeError(423, Service, "request.blocked", "request blocked, try again later");

        var query = request.Query;
        if (!int.TryParse(query["rows"], NumberStyles.None, CultureInfo.InvariantCulture, out var rows) || rows is < 1 or > 50)
            return QiwiResponses.Validation(Service, "rows must be an integer from 1 to 50");
        var operation = query["operation"].ToString() is { Length: > 0 } op ? op : "ALL";
        if (!Operations.Contains(operation)) return QiwiResponses.Validation(Service, "Unknown operation " + operation);
        if (ParseSources(query) is not { } sources) return QiwiResponses.Validation(Service, "Unknown source");
        var range = ParseRange(query, required: false)!;
        if (range.Error is not null) return QiwiResponses.Validation(Service, range.Error);

        long? nextId = null;
        DateTimeOffset? nextDate = null;
        var hasNextId = query.ContainsKey("nextTxnId");
        var hasNextDate = query.ContainsKey("nextTxnDate");
        if (hasNextId != hasNextDate) return QiwiResponses.Validation(Service, "nextTxnId and nextTxnDate go together");
        if (hasNextId)
        {
            if (!long.TryParse(query["nextTxnId"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !TryParseDate(query["nextTxnDate"], out var date))
                return QiwiResponses.Validation(Service, "Invalid nextTxnId or nextTxnDate");
            (nextId, nextDate) = (id, date);
        }

        var items = Filter(state.Snapshot(owner), operation, sources, range)
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.TxnId)
            .ToList();
        if (nextId is { } cursorId && nextDate is { } cursorDate)
        {
            // The transaction the cursor names is the first item of this page (contract §3.1 recommendation).
            items = items.SkipWhile(t => t.Date > cursorDate || (t.Date == cursorDate && t.TxnId > cursorId)).ToList();
        }

        if (items.Count == 0 && options.Value.EmptyHistoryIsNotFound)
            return QiwiResponses.EdgeError(404, Service, "payments.not.found", "No payments found");

        var offset = range.Start?.Offset ?? QiwiWire.Moscow;
        var page = items.Take(rows).ToList();
        var next = items.Count > rows ? items[rows] : null;
        // Fault: pages overlap, as if a new payment shifted the list between two requests.
        if (next is not null && state.Faults.Current.DuplicateRowsAcrossPages) next = page[^1];
        return QiwiResponses.Ok(new
        {
            data = page.Select(t => QiwiWire.Transaction(t, offset)),
            nextTxnId = next?.TxnId,
            nextTxnDate = next is null ? null : QiwiWire.Date(next.Date, QiwiWire.Moscow),
        });
    }

    private static IResult Total(HttpRequest request, EmulatorState state, long wallet)
    {
        if (Authorize(request, state, wallet) is { } denied) return denied;
        var query = request.Query;
        var range = ParseRange(query, required: true)!;
        if (range.Error is not null) return QiwiResponses.Validation(Service, range.Error);
        var operation = query["operation"].ToString() is { Length: > 0 } op ? op : "ALL";
        if (!Operations.Contains(operation)) return QiwiResponses.Validation(Service, "Unknown operation " + operation);
        if (ParseSources(query) is not { } sources) return QiwiResponses.Validation(Service, "Unknown source");

        var items = Filter(state.Snapshot(state.FindWallet(wallet)!), operation, sources, range).Where(t => t.Status == "SUCCESS").ToList();
        object Sum(string type) => items.Where(t => t.Type == type).GroupBy(t => t.Currency)
            .Select(g => QiwiWire.Money(g.Sum(t => t.Amount), g.Key)).ToList();
        return QiwiResponses.Ok(new { incomingTotal = Sum("IN"), outgoingTotal = Sum("OUT") });
    }

    private static IResult Single(HttpRequest request, EmulatorState state, long txnId, string? type, bool typeRequired)
    {
        var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.HistoryRead);
        if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, Service);
        if (type is not null and not ("IN" or "OUT") || (typeRequired && type is null))
            return QiwiResponses.Validation(Service, "type must be IN or OUT");
        var transaction = state.FindTransaction(wallet, txnId, type);
        return transaction is null
            ? QiwiResponses.EdgeError(404, Service, "transaction.not.found", "Transaction not found")
            : QiwiResponses.Ok(QiwiWire.Transaction(transaction, QiwiWire.Moscow));
    }

    private static IResult? Authorize(HttpRequest request, EmulatorState state, long wallet)
    {
        if (!QiwiResponses.AcceptsJson(request)) return QiwiResponses.Validation(Service, "Unsupported Accept header");
        var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.HistoryRead);
        if (auth.Wallet is not { } owner) return QiwiResponses.Denied(auth, Service);
        // Unconfirmed on QIWI: another wallet's path. We answer as QIWI answered missing access.
        return owner.PersonId == wallet ? null : QiwiResponses.EdgeError(403, Service, "auth.forbidden", "Access denied");
    }

    private static IEnumerable<EmulatorTransaction> Filter(
        IEnumerable<EmulatorTransaction> items, string operation, HashSet<int?> sources, DateRange range) =>
        items.Where(t => operation switch { "IN" => t.Type == "IN", "OUT" => t.Type == "OUT", "QIWI_CARD" => false, _ => true })
            .Where(t => sources.Count == 0 || sources.Contains(t.Currency))
            .Where(t => range.Start is null || (t.Date >= range.Start && t.Date <= range.End));

    private static HashSet<int?>? ParseSources(IQueryCollection query)
    {
        var result = new HashSet<int?>();
        foreach (var (key, values) in query)
        {
            if (!key.StartsWith("sources[", StringComparison.Ordinal)) continue;
            if (!Sources.TryGetValue(values.ToString(), out var currency)) return null;
            result.Add(currency ?? -1); // CARD and MK: sources no emulator transaction uses
        }

        return result;
    }

    private static DateRange? ParseRange(IQueryCollection query, bool required)
    {
        var hasStart = query.ContainsKey("startDate");
        var hasEnd = query.ContainsKey("endDate");
        if (!hasStart && !hasEnd) return required ? new DateRange(null, null, "startDate and endDate are required") : new DateRange(null, null, null);
        if (hasStart != hasEnd) return new DateRange(null, null, "startDate and endDate go together");
        if (!TryParseDate(query["startDate"], out var start) || !TryParseDate(query["endDate"], out var end))
            return new DateRange(null, null, "Dates must look like 2017-05-10T00:00:00+03:00 (URL-encoded)");
        if (start.Offset != end.Offset) return new DateRange(null, null, "startDate and endDate must have the same offset");
        if (start > end) return new DateRange(null, null, "startDate is after endDate");
        if (end - start > TimeSpan.FromDays(90)) return new DateRange(null, null, "The period must not exceed 90 days");
        return new DateRange(start, end, null);
    }

    private static bool TryParseDate(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'"],
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    private sealed record DateRange(DateTimeOffset? Start, DateTimeOffset? End, string? Error);
}

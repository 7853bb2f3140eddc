using System.Globalization;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// The emulator's own admin API under /admin/v1, apart from every QIWI path: create wallets with
/// balances, issue tokens with permission groups, inject history entries, settle pending transfers.
/// </summary>
internal static class AdminEndpoints
{
    public sealed record CreateWalletRequest(string? Phone, decimal? Balance);

    public sealed record IssueTokenRequest(string[]? Groups);

    public sealed record InjectTransactionRequest(
        string? Type, string? Status, decimal Amount, int? Currency, string? Comment, string? Account, DateTimeOffset? Date, int? ErrorCode);

    public sealed record SetStatusRequest(string? Status, int? ErrorCode);

    public sealed record RestrictionsRequest(bool OutgoingPayments);

    public sealed record AddCardRequest(string? Alias, bool? Master);

    public sealed record AddBillRequest(decimal Amount, string? Comment, string? ExternalId, int? MerchantId, string? MerchantName, TimeSpan? Lifetime);

    public static void Map(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin/v1");
        // Always behind the key: without it anyone could mint money, forge a seller's incoming
        // transfers or take over a wallet by issuing a new token (docs/qiwi-rail.md). The check wraps
        // the whole endpoint (a "finally" convention runs after the request delegate is built), so it
        // comes before the body is even read: a stranger learns nothing from binding errors.
        ((IEndpointConventionBuilder)admin).Finally(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                var key = context.RequestServices.GetRequiredService<EmulatorAdminKey>();
                var presented = context.Request.Headers[EmulatorAdminKey.HeaderName];
                if (presented.Count == 1 && key.Matches(presented[0])) return inner(context);
                return Results.Problem(statusCode: 401, title: $"Admin key required ({EmulatorAdminKey.HeaderName}).",
                    detail: "The emulator's admin API needs the key configured as QiwiEmulator:AdminKey, or the one generated into its admin key file.",
                    extensions: new Dictionary<string, object?> { ["code"] = "emulator.admin.key" }).ExecuteAsync(context);
            };
        });
        admin.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (EmulatorLimitException ex)
            {
                return Results.Problem(statusCode: ex.Status, title: ex.Message, extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
            }
        });

        admin.MapPost("/wallets", (CreateWalletRequest body, EmulatorState state, HttpContext http) =>
        {
            if (ParsePhone(body.Phone) is not { } personId) return Invalid("phone", "A wallet number such as +79001234567 is required.");
            if (body.Balance is < 0) return Invalid("balance", "Balance must not be negative.");
            try
            {
                var wallet = state.CreateWallet(personId, new Dictionary<int, decimal> { [643] = body.Balance ?? 0m },
                    EmulatorState.CallerOf(http.Connection.RemoteIpAddress));
                return Results.Created($"admin/v1/wallets/{wallet.PersonId}", Describe(state, wallet));
            }
            catch (EmulatorConflictException ex)
            {
                return Results.Problem(statusCode: 409, title: ex.Message, extensions: new Dictionary<string, object?> { ["code"] = "emulator.wallets.exists" });
            }
        });

        admin.MapGet("/wallets/{phone}", (string phone, EmulatorState state) =>
            ParsePhone(phone) is { } id && state.FindWallet(id) is { } wallet ? Results.Ok(Describe(state, wallet)) : Results.NotFound());

        admin.MapPost("/wallets/{phone}/tokens", (string phone, IssueTokenRequest? body, EmulatorState state) =>
        {
            if (ParsePhone(phone) is not { } id || state.FindWallet(id) is null) return Results.NotFound();
            var groups = PermissionGroup.None;
            foreach (var name in body?.Groups ?? [nameof(PermissionGroup.All)])
            {
                if (!Enum.TryParse<PermissionGroup>(name, ignoreCase: true, out var group))
                    return Invalid("groups", $"Unknown group '{name}'. Use ProfileRead, BalanceRead, HistoryRead, PaymentsNoSms, VirtualCards or All.");
                groups |= group;
            }

            var token = state.IssueToken(id, groups);
            return Results.Ok(new { token = token.Value, personId = token.PersonId, groups = token.Groups.ToString(), expiresAt = token.ExpiresAt });
        });

        MapFaults(admin);
        MapWalletServices(admin);

        admin.MapDelete("/tokens/{token}", (string token, EmulatorState state) =>
            state.RevokeToken(token) ? Results.NoContent() : Results.NotFound());

        admin.MapPost("/wallets/{phone}/transactions", (string phone, InjectTransactionRequest body, EmulatorState state, IOptions<EmulatorOptions> options) =>
        {
            var maxText = options.Value.Limits.MaxCommentLength;
            if (ParsePhone(phone) is not { } id || state.FindWallet(id) is not { } wallet) return Results.NotFound();
            var type = body.Type?.ToUpperInvariant() ?? "IN";
            var status = body.Status?.ToUpperInvariant() ?? "SUCCESS";
            if (type is not ("IN" or "OUT")) return Invalid("type", "Type must be IN or OUT.");
            if (status is not ("SUCCESS" or "WAITING" or "ERROR")) return Invalid("status", "Status must be SUCCESS, WAITING or ERROR.");
            if (body.Amount <= 0) return Invalid("amount", "Amount must be positive.");
            if (body.Comment is { Length: var commentLength } && commentLength > maxText) return Invalid("comment", $"Comment must be at most {maxText} characters.");
            if (body.Account is { Length: > 64 }) return Invalid("account", "Account must be at most 64 characters.");
            var transaction = state.Inject(wallet, txnId => new EmulatorTransaction
            {
                TxnId = txnId, PersonId = wallet.PersonId, Date = EmulatorState.TruncateToSecond(body.Date ?? state.Now), Type = type, Status = status,
                ErrorCode = body.ErrorCode ?? (status == "ERROR" ? 3 : 0), Account = body.Account ?? "+79990000000",
                Amount = body.Amount, Currency = body.Currency ?? 643, Comment = body.Comment,
                ProviderId = type == "IN" ? 7 : 99, SourceId = type == "IN" ? 99 : 7,
            });
            return Results.Ok(QiwiWire.Transaction(transaction, QiwiWire.Moscow));
        });

        admin.MapPost("/transactions/{txnId}/status", (long txnId, SetStatusRequest body, EmulatorState state) =>
        {
            var status = body.Status?.ToUpperInvariant();
            if (status is not ("SUCCESS" or "WAITING" or "ERROR")) return Invalid("status", "Status must be SUCCESS, WAITING or ERROR.");
            var transaction = state.SetStatus(txnId, status, body.ErrorCode ?? (status == "ERROR" ? 3 : 0));
            return transaction is null ? Results.NotFound() : Results.Ok(QiwiWire.Transaction(transaction, QiwiWire.Moscow));
        });
    }

    /// <summary>Restrictions, virtual cards, invoices and sent receipts of a wallet (contract §2.2, §3.5, §6.6, §6.7).</summary>
    private static void MapWalletServices(RouteGroupBuilder admin)
    {
        admin.MapPut("/wallets/{phone}/restrictions", (string phone, RestrictionsRequest body, EmulatorState state) =>
        {
            if (ParsePhone(phone) is not { } id || state.FindWallet(id) is not { } wallet) return Results.NotFound();
            state.SetOutgoingRestriction(wallet, body.OutgoingPayments);
            return Results.Ok(new { outgoingPayments = body.OutgoingPayments });
        });

        admin.MapPost("/wallets/{phone}/cards", (string phone, AddCardRequest? body, EmulatorState state) =>
        {
            if (ParsePhone(phone) is not { } id || state.FindWallet(id) is not { } wallet) return Results.NotFound();
            var alias = body?.Alias?.Trim() is { Length: > 0 } given ? given : "QIWI virtual card";
            if (alias.Length > 64) return Invalid("alias", "Alias must be at most 64 characters.");
            var card = state.AddCard(wallet, alias, body?.Master ?? true);
            return Results.Ok(new { id = card.Id, maskedPan = "****" + card.Last4, alias = card.Alias, master = card.Master });
        });

        admin.MapPost("/wallets/{phone}/bills", (string phone, AddBillRequest body, EmulatorState state, IOptions<EmulatorOptions> options) =>
        {
            if (ParsePhone(phone) is not { } id || state.FindWallet(id) is not { } wallet) return Results.NotFound();
            if (body.Amount <= 0 || decimal.Round(body.Amount, 2) != body.Amount) return Invalid("amount", "Amount must be positive, in kopecks at most.");
            if (body.Comment is { Length: var length } && length > options.Value.Limits.MaxCommentLength)
                return Invalid("comment", $"Comment must be at most {options.Value.Limits.MaxCommentLength} characters.");
            if (body.ExternalId is { Length: > 64 } || body.MerchantName is { Length: > 64 }) return Invalid("externalId", "Ids and names must be at most 64 characters.");
            if (body.MerchantId is <= 0) return Invalid("merchantId", "Merchant id must be positive.");
            var lifetime = body.Lifetime ?? TimeSpan.FromDays(1);
            if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(45)) return Invalid("lifetime", "Lifetime must be positive and at most 45 days.");
            var bill = state.AddBill(wallet, body.Amount, body.Comment, body.ExternalId, body.MerchantId ?? 480706, body.MerchantName ?? "Emulator shop", lifetime);
            return Results.Ok(new { id = bill.Id, externalId = bill.ExternalId, amount = bill.Amount, expiresAt = bill.ExpiresAt });
        });

        admin.MapGet("/wallets/{phone}/receipts", (string phone, EmulatorState state) =>
            ParsePhone(phone) is { } id && state.FindWallet(id) is { } wallet
                ? Results.Ok(state.SentReceipts(wallet).Select(r => new { txnId = r.TxnId, type = r.Type, email = r.Email, sentAt = r.SentAt }))
                : Results.NotFound());
    }

    private static void MapFaults(RouteGroupBuilder admin)
    {
        admin.MapGet("/faults", (EmulatorState state) => Results.Ok(state.Faults.Current));
        admin.MapPut("/faults", (FaultSettings faults, EmulatorState state) =>
        {
            if (faults.LatencyMs < 0 || faults.ServerErrors < 0 || faults.Timeouts < 0 || faults.MalformedJson < 0 || faults.LostResponses < 0)
                return Invalid("faults", "Counts and latency must not be negative.");
            state.Faults.Set(faults);
            return Results.Ok(state.Faults.Current);
        });
        admin.MapDelete("/faults", (EmulatorState state) =>
        {
            state.Faults.Reset();
            return Results.NoContent();
        });
        // Block a wallet's history now, as QIWI did after 100 requests in a minute.
        admin.MapPost("/wallets/{phone}/block", (string phone, EmulatorState state, IOptions<EmulatorOptions> options) =>
        {
            if (ParsePhone(phone) is not { } id || state.FindWallet(id) is not { } wallet) return Results.NotFound();
            var until = state.Now + options.Value.HistoryBlockDuration;
            state.Block(wallet, until);
            return Results.Ok(new { blockedUntil = until });
        });
        admin.MapPost("/webhooks/deliver", async (WebhookDispatcher dispatcher, CancellationToken ct) =>
            Results.Ok(new { delivered = await dispatcher.DeliverDueAsync(ct) }));
    }

    private static object Describe(EmulatorState state, EmulatorWallet wallet) => new
    {
        personId = wallet.PersonId,
        phone = wallet.Phone,
        nickname = EmulatorState.NicknameOf(wallet.PersonId),
        balances = state.Balances(wallet).Select(b => QiwiWire.Money(b.Value, b.Key)),
    };

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static long? ParsePhone(string? phone)
    {
        var digits = phone?.Trim().TrimStart('+');
        return digits is { Length: >= 11 and <= 15 } && digits.All(char.IsAsciiDigit)
            ? long.Parse(digits, CultureInfo.InvariantCulture)
            : null;
    }
}

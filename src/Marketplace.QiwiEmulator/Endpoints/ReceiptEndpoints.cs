using System.Globalization;
using System.Text.Json;
using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// Payment receipts (contract §3.5): the receipt of one of the wallet's transactions as a PDF or JPEG
/// file, or sent by e-mail. Part of the history service, so they need "payment history" (group 3).
/// Only settled (SUCCESS) transactions have a receipt, as features.chequeReady says in the history.
/// </summary>
internal static class ReceiptEndpoints
{
    private const string Service = "payment-history";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/payment-history/v1/transactions/{txnId}/cheque/file", (HttpRequest request, EmulatorState state, string txnId, string? type, string? format) =>
        {
            if (Find(request, state, txnId, type, out var transaction, out _) is { } error) return error;
            // The docs name PDF and JPEG; a client that sends no format gets a PDF.
            return (format?.Trim().ToUpperInvariant() ?? "PDF") switch
            {
                "PDF" => Results.File(ReceiptDocuments.Pdf(transaction), "application/pdf", $"cheque-{transaction.TxnId}.pdf"),
                "JPEG" or "JPG" => Results.File(ReceiptDocuments.Jpeg(transaction), "image/jpeg", $"cheque-{transaction.TxnId}.jpeg"),
                _ => QiwiResponses.Validation(Service, "format must be PDF or JPEG"),
            };
        });

        // The docs give v1; node-qiwi-sdk posts to v2. Both are served.
        foreach (var version in new[] { "v1", "v2" })
        {
            routes.MapPost($"/payment-history/{version}/transactions/{{txnId}}/cheque/send", async (HttpRequest request, EmulatorState state, string txnId, string? type) =>
            {
                if (Find(request, state, txnId, type, out var transaction, out var wallet) is { } error) return error;
                var body = await QiwiResponses.ReadJsonAsync(request);
                var email = body is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("email", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()!.Trim()
                    : null;
                if (!IsEmail(email)) return QiwiResponses.Validation(Service, "email must be an e-mail address");
                state.RecordReceiptSent(wallet, transaction, email!);
                return Results.StatusCode(201);
            });
        }
    }

    private static IResult? Find(HttpRequest request, EmulatorState state, string txnIdText, string? type, out EmulatorTransaction transaction, out EmulatorWallet wallet)
    {
        transaction = null!;
        wallet = null!;
        var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.HistoryRead);
        if (auth.Wallet is not { } owner) return QiwiResponses.Denied(auth, Service);
        wallet = owner;
        if (!long.TryParse(txnIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var txnId))
            return QiwiResponses.Validation(Service, "The transaction id must be a number");
        var normalized = type?.Trim().ToUpperInvariant();
        if (normalized is not null and not ("IN" or "OUT")) return QiwiResponses.Validation(Service, "type must be IN or OUT");
        if (state.FindTransaction(owner, txnId, normalized) is not { } found)
            return QiwiResponses.EdgeError(404, Service, "transaction.not.found", "Transaction not found");
        if (found.Status != "SUCCESS")
            return QiwiResponses.EdgeError(400, Service, "cheque.not.available", "The receipt is not available for this transaction yet");
        transaction = found;
        return null;
    }

    /// <summary>One address, local@domain with a dotted domain, at most 254 characters, nothing around it.</summary>
    internal static bool IsEmail(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 254 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;
        if (!System.Net.Mail.MailAddress.TryCreate(text, out var address) || address.Address != text || address.DisplayName.Length != 0) return false;
        var at = text.LastIndexOf('@');
        var domain = text[(at + 1)..];
        return at > 0 && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
    }
}

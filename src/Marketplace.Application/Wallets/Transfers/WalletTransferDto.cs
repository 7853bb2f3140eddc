using Marketplace.Application.Common.Models;
using Marketplace.Domain.Payments;

namespace Marketplace.Application.Wallets.Transfers;

/// <summary>
/// An incoming transfer of the seller's wallet as the matcher recorded it. <c>waitsForSeller</c>: in
/// the inbox, to attach to an order or resolve with a note. <c>raw</c> is the wallet's own record.
/// </summary>
public sealed record WalletTransferDto(
    Guid Id, string TransactionId, MoneyDto Amount, decimal? PayerAmount, string? Comment, string? SenderAccount, DateTimeOffset OccurredAt,
    PaymentOutcome Outcome, PaymentSource Source, Guid? OrderId, bool WaitsForSeller, DateTimeOffset RecordedAt,
    DateTimeOffset? ResolvedAt, string? ResolutionNote, string? Raw)
{
    public static WalletTransferDto From(IncomingPayment p) => new(
        p.Id, p.ProviderTransactionId, MoneyDto.Of(p.Amount, p.Currency), p.PayerAmount, p.Comment, p.SenderAccount, p.OccurredAt,
        p.Outcome, p.Source, p.OrderId, p.WaitsForSeller, p.RecordedAt, p.ResolvedAt, p.ResolutionNote, p.Raw);
}

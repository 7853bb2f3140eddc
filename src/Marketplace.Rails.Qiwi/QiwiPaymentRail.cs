using System.Globalization;
using System.Text.Json;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Common;
using Marketplace.Domain.Payments;
using Microsoft.Extensions.Options;
using Refit;

namespace Marketplace.Rails.Qiwi;

/// <summary>The QIWI adapter behind the payment-rail port: wire types in, domain types out.</summary>
public sealed class QiwiPaymentRail(IQiwiWalletApi api, QiwiEndpoint endpoint, IOptions<QiwiOptions> options) : IPaymentRail
{
    public const string ProviderName = "qiwi";
    private const int WalletTransferProviderId = 99;

    public string Provider => ProviderName;

    public string? NormalizeAccount(string account) => QiwiAccountNumber.Normalize(account);

    public async Task VerifyAsync(WalletCredentials credentials, CancellationToken cancellationToken)
    {
        var personId = QiwiAccountNumber.ToPersonId(credentials.Account);
        var profile = await CallAsync(ct => api.GetProfileAsync(credentials.Token, true, false, false, ct), cancellationToken);
        if (profile.AuthInfo?.PersonId != personId)
            throw new PaymentRailException(PaymentRailErrorKind.AccountMismatch, "The token was issued for another wallet.");

        // The matcher depends on reading history: prove the token has that permission group now, not at the first order.
        try
        {
            await CallAsync(ct => api.GetPaymentsAsync(credentials.Token, personId, rows: 1, cancellationToken: ct), cancellationToken);
        }
        catch (QiwiNotFoundException)
        {
            // An empty history is a 404 on QIWI: readable, just nothing in it yet.
        }
    }

    public async Task<IReadOnlyList<ObservedTransfer>> GetIncomingTransfersAsync(
        WalletCredentials credentials, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var personId = QiwiAccountNumber.ToPersonId(credentials.Account);
        var start = QiwiDates.Format(from);
        var end = QiwiDates.Format(to);
        var seen = new Dictionary<long, ObservedTransfer>();
        long? nextId = null;
        string? nextDate = null;

        for (var page = 0; page < options.Value.MaxHistoryPages; page++)
        {
            QiwiHistoryPage result;
            try
            {
                result = await CallAsync(ct => api.GetPaymentsAsync(
                    credentials.Token, personId, options.Value.HistoryPageSize, "IN", start, end, nextId, nextDate, cancellationToken: ct), cancellationToken);
            }
            catch (QiwiNotFoundException)
            {
                break; // QIWI answers 404 when no payment matches the filter
            }

            // Pages may overlap at their edges; the transaction id is the identity.
            foreach (var item in result.Data.Where(t => t.Type == "IN"))
                seen.TryAdd(item.TxnId, ToObserved(item));

            if (result.NextTxnId is null || result.NextTxnDate is null) return seen.Values.ToList();
            nextId = result.NextTxnId;
            nextDate = QiwiDates.Format(result.NextTxnDate.Value);
        }

        if (nextId is not null)
            throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "Payment history did not end within the page limit.");
        return seen.Values.ToList();
    }

    public Uri BuildPaymentLink(string account, Money amount, string comment)
    {
        var whole = decimal.Truncate(amount.Amount);
        var fraction = (int)((amount.Amount - whole) * 100);
        // Contract §8: account, sum and comment locked, so the buyer cannot alter the comment that identifies the order.
        var query = string.Join('&',
            "extra%5B%27account%27%5D=" + Uri.EscapeDataString(account.TrimStart('+')),
            "amountInteger=" + whole.ToString(CultureInfo.InvariantCulture),
            "amountFraction=" + fraction.ToString(CultureInfo.InvariantCulture),
            "currency=" + QiwiCurrencies.ToNumeric(amount.Currency).ToString(CultureInfo.InvariantCulture),
            "extra%5B%27comment%27%5D=" + Uri.EscapeDataString(comment),
            "blocked%5B0%5D=sum",
            "blocked%5B1%5D=account",
            "blocked%5B2%5D=comment");
        return new Uri(endpoint.PaymentFormBase, $"payment/form/{WalletTransferProviderId}?{query}");
    }

    private static ObservedTransfer ToObserved(QiwiTransaction item) => new(
        item.TxnId.ToString(CultureInfo.InvariantCulture),
        item.Date,
        item.Sum?.Amount ?? 0m,
        item.Sum is { } sum ? QiwiCurrencies.FromNumeric(sum.Currency) : null,
        item.Status switch
        {
            "SUCCESS" => TransferStatus.Succeeded,
            "WAITING" => TransferStatus.Pending,
            _ => TransferStatus.Failed,
        },
        item.Comment,
        QiwiAccountNumber.Normalize(item.Account) ?? item.Account);

    private static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (QiwiNotFoundException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not PaymentRailException && ex.InnerException is PaymentRailException refused)
        {
            // A handler refused the answer (the Live guard); Refit wraps what a handler throws.
            throw refused;
        }
        catch (QiwiException ex)
        {
            throw new PaymentRailException(ex switch
            {
                QiwiUnauthorizedException => PaymentRailErrorKind.InvalidCredentials,
                QiwiForbiddenException => PaymentRailErrorKind.MissingPermission,
                QiwiRateLimitedException => PaymentRailErrorKind.RateLimited,
                QiwiValidationException => PaymentRailErrorKind.Rejected,
                _ => PaymentRailErrorKind.Unavailable,
            }, ex.Message, ex);
        }
        catch (ApiException ex)
        {
            // Refit raises this when a successful response cannot be read (malformed JSON).
            throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "QIWI sent a response we could not read.", ex);
        }
        catch (JsonException ex)
        {
            throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "QIWI sent a response we could not read.", ex);
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Options;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// Sends payments so that retrying can never pay twice: one client id per payment, reused on
/// every attempt (QIWI treats the id as the payment's identity). Only transient failures are retried;
/// a validation error such as QWPRC-220 (insufficient funds) is final.
/// </summary>
public sealed class QiwiPayments(IQiwiWalletApi api, TimeProvider clock, IOptions<QiwiOptions> options)
{
    public const int WalletTransferProvider = 99;

    /// <summary>Transfer to a wallet by its nickname (contract §8): fields.account is the nickname, fields.accountType "nickname".</summary>
    public const int NicknameTransferProvider = 99999;
    private static long _lastId;

    /// <summary>A new client id: milliseconds since the epoch as QIWI recommends, strictly increasing in this process.</summary>
    public string NewClientId()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastId);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastId, next, last) == last) return next.ToString(CultureInfo.InvariantCulture);
        }
    }

    public Task<QiwiPaymentInfo> TransferToWalletAsync(
        string token, string recipient, decimal amount, string? comment, string? clientId = null, CancellationToken cancellationToken = default) =>
        PayAsync(token, WalletTransferProvider, new Dictionary<string, string> { ["account"] = "+" + recipient.TrimStart('+') },
            amount, comment, clientId, cancellationToken);

    /// <summary>A transfer to the wallet whose nickname is <paramref name="nickname"/> (provider 99999), with the same safe retries.</summary>
    public Task<QiwiPaymentInfo> TransferToNicknameAsync(
        string token, string nickname, decimal amount, string? comment, string? clientId = null, CancellationToken cancellationToken = default) =>
        PayAsync(token, NicknameTransferProvider, new Dictionary<string, string> { ["account"] = nickname, ["accountType"] = "nickname" },
            amount, comment, clientId, cancellationToken);

    public async Task<QiwiPaymentInfo> PayAsync(
        string token, int providerId, Dictionary<string, string> fields, decimal amount, string? comment, string? clientId = null,
        CancellationToken cancellationToken = default)
    {
        var request = new QiwiPaymentRequest(
            clientId ?? NewClientId(), new QiwiSinapMoney(decimal.Round(amount, 2, MidpointRounding.ToZero), "643"),
            QiwiPaymentMethod.RubAccount, comment, fields);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await api.PayAsync(token, providerId, request, cancellationToken);
            }
            catch (QiwiTransientException) when (attempt < options.Value.PaymentAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)), clock, cancellationToken);
            }
        }
    }
}

using System.Globalization;

namespace Marketplace.QiwiEmulator.State;

/// <summary>
/// The wallet's secondary services: nickname, restrictions, operation limits, virtual cards,
/// invoices and e-mailed receipts (contract §2.2, §3.5, §6.4-§6.7, §9.4).
/// </summary>
public sealed partial class EmulatorState
{
    /// <summary>The limit types qw-limits knows (contract §9.4).</summary>
    public static readonly IReadOnlyList<string> LimitTypes =
        ["REFILL", "TURNOVER", "PAYMENTS_P2P", "PAYMENTS_PROVIDER_INTERNATIONALS", "PAYMENTS_PROVIDER_PAYOUT", "WITHDRAW_CASH"];

    /// <summary>
    /// A wallet's nickname. QIWI users chose theirs; an emulator wallet has one derived from its number
    /// (QW and the number in base 36), so it is unique, stable across restarts and needs no storage.
    /// </summary>
    public static string NicknameOf(long personId)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var text = new System.Text.StringBuilder();
        for (var rest = personId; rest > 0; rest /= 36) text.Insert(0, digits[(int)(rest % 36)]);
        return "QW" + text;
    }

    /// <summary>The wallet a nickname names (case-insensitive), or null.</summary>
    public EmulatorWallet? FindByNickname(string nickname)
    {
        lock (_gate) return FindByNicknameLocked(nickname);
    }

    private EmulatorWallet? FindByNicknameLocked(string nickname)
    {
        var wanted = nickname.Trim();
        if (!wanted.StartsWith("QW", StringComparison.OrdinalIgnoreCase) || wanted.Length is < 3 or > 16) return null;
        long personId = 0;
        foreach (var c in wanted[2..].ToUpperInvariant())
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : -1;
            if (digit < 0 || personId > (long.MaxValue - digit) / 36) return null;
            personId = personId * 36 + digit;
        }

        return _wallets.GetValueOrDefault(personId);
    }

    public void SetOutgoingRestriction(EmulatorWallet wallet, bool restricted)
    {
        lock (_gate)
        {
            wallet.OutgoingPaymentsRestricted = restricted;
            Save();
        }
    }

    public bool IsOutgoingRestricted(EmulatorWallet wallet)
    {
        lock (_gate) return wallet.OutgoingPaymentsRestricted;
    }

    /// <summary>
    /// The wallet's limits of the given types for the current calendar month in Moscow time (REFILL:
    /// the balance against the maximum balance). Spent amounts come from the wallet's successful
    /// outgoing history: TURNOVER all of it, PAYMENTS_P2P wallet transfers, PAYMENTS_PROVIDER_PAYOUT
    /// card transfers; the emulator has no international or cash operations.
    /// </summary>
    public IReadOnlyList<OperationLimit> ActualLimits(EmulatorWallet wallet, IReadOnlyList<string> types)
    {
        lock (_gate)
        {
            SettleDue();
            var moscow = Now.ToOffset(Wire.QiwiWire.Moscow);
            var from = new DateTimeOffset(moscow.Year, moscow.Month, 1, 0, 0, 0, Wire.QiwiWire.Moscow);
            var till = from.AddMonths(1);
            var month = wallet.History.Where(t => t.Type == "OUT" && t.Status != "ERROR" && t.Currency == 643 && t.Date >= from && t.Date < till).ToList();
            return types.Select(type =>
            {
                var max = _options.OperationLimits.GetValueOrDefault(type);
                var spent = type switch
                {
                    "REFILL" => wallet.Balances.GetValueOrDefault(643),
                    "TURNOVER" => month.Sum(t => t.Amount + t.Commission),
                    "PAYMENTS_P2P" => month.Where(t => t.ProviderId is 99 or 99999).Sum(t => t.Amount + t.Commission),
                    "PAYMENTS_PROVIDER_PAYOUT" => month.Where(t => Endpoints.PaymentEndpoints.IsCard(t.ProviderId)).Sum(t => t.Amount + t.Commission),
                    _ => 0m,
                };
                return new OperationLimit(type, max, spent, Math.Max(0m, max - spent), from, till);
            }).ToList();
        }
    }

    /// <summary>Issues a virtual card (admin API), within <see cref="EmulatorLimits.MaxCardsPerWallet"/>.</summary>
    public EmulatorCard AddCard(EmulatorWallet wallet, string alias, bool master)
    {
        lock (_gate)
        {
            if (wallet.Cards.Count >= Limits.MaxCardsPerWallet)
                throw new EmulatorLimitException(409, "emulator.cards.full", $"Wallet +{wallet.PersonId} holds the maximum of {Limits.MaxCardsPerWallet} cards.");
            var id = _nextTxnId++;
            var activated = TransactionNow;
            var card = new EmulatorCard
            {
                Id = id, Last4 = (id % 10_000).ToString("0000", CultureInfo.InvariantCulture), Alias = alias, Status = "ACTIVE",
                Master = master, Activated = activated, TxnId = id,
                Expires = new DateTimeOffset(activated.ToOffset(Wire.QiwiWire.Moscow).Year + 3, activated.ToOffset(Wire.QiwiWire.Moscow).Month, 1, 0, 0, 0, Wire.QiwiWire.Moscow),
            };
            wallet.Cards.Add(card);
            Save();
            return card;
        }
    }

    public IReadOnlyList<EmulatorCard> Cards(EmulatorWallet wallet)
    {
        lock (_gate) return wallet.Cards.ToList();
    }

    /// <summary>Issues an invoice to the wallet (admin API), within <see cref="EmulatorLimits.MaxBillsPerWallet"/>.</summary>
    public EmulatorBill AddBill(EmulatorWallet wallet, decimal amount, string? comment, string? externalId, int merchantId, string merchantName, TimeSpan lifetime)
    {
        lock (_gate)
        {
            if (wallet.Bills.Count >= Limits.MaxBillsPerWallet)
                throw new EmulatorLimitException(409, "emulator.bills.full", $"Wallet +{wallet.PersonId} holds the maximum of {Limits.MaxBillsPerWallet} invoices.");
            var id = _nextTxnId++;
            var bill = new EmulatorBill
            {
                Id = id, ExternalId = externalId ?? id.ToString(CultureInfo.InvariantCulture), CreatedAt = Now, ExpiresAt = Now + lifetime,
                Amount = amount, Comment = comment, MerchantId = merchantId, MerchantName = merchantName,
            };
            wallet.Bills.Add(bill);
            Save();
            return bill;
        }
    }

    /// <summary>Unpaid, unexpired invoices, newest first.</summary>
    public IReadOnlyList<EmulatorBill> OpenBills(EmulatorWallet wallet)
    {
        lock (_gate)
        {
            var now = Now;
            return wallet.Bills.Where(b => b.Status == "READY_FOR_PAY" && b.ExpiresAt > now)
                .OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id).ToList();
        }
    }

    /// <summary>
    /// Pays an open invoice from the wallet's RUB balance: the money leaves the wallet as an OUT row
    /// to the merchant's provider id, and the invoice becomes PAID.
    /// </summary>
    public BillResult PayBill(EmulatorWallet wallet, long billId)
    {
        lock (_gate)
        {
            var bill = wallet.Bills.FirstOrDefault(b => b.Id == billId);
            if (bill is null || bill.Status == "REJECTED") return BillResult.NotFound;
            if (bill.Status == "PAID") return BillResult.Failed("The invoice is already paid");
            if (bill.ExpiresAt <= Now) return BillResult.Failed("The invoice has expired");
            if (wallet.OutgoingPaymentsRestricted) return BillResult.Failed("Outgoing payments are blocked for this wallet");
            if (wallet.History.Count >= Limits.MaxHistoryRowsPerWallet) return BillResult.Failed("Wallet limit exceeded");
            if (wallet.Balances.GetValueOrDefault(bill.Currency) < bill.Amount) return BillResult.Failed("Insufficient funds");

            var txnId = _nextTxnId++;
            wallet.Balances[bill.Currency] -= bill.Amount;
            var row = new EmulatorTransaction
            {
                TxnId = txnId, PersonId = wallet.PersonId, Date = TransactionNow, Type = "OUT", Status = "SUCCESS",
                Account = bill.ExternalId, Amount = bill.Amount, Currency = bill.Currency, Comment = bill.Comment,
                TrmTxnId = bill.Id.ToString(CultureInfo.InvariantCulture), ProviderId = bill.MerchantId, SourceId = 7,
            };
            wallet.History.Add(row);
            Notify(wallet, row);
            bill.Status = "PAID";
            bill.TxnId = txnId;
            Save();
            return BillResult.Paid(bill);
        }
    }

    /// <summary>Rejects an open invoice; false when the wallet has no such open invoice.</summary>
    public bool RejectBill(EmulatorWallet wallet, long billId)
    {
        lock (_gate)
        {
            var bill = wallet.Bills.FirstOrDefault(b => b.Id == billId && b.Status == "READY_FOR_PAY");
            if (bill is null) return false;
            bill.Status = "REJECTED";
            Save();
            return true;
        }
    }

    /// <summary>Records a receipt sent by e-mail; only the latest <see cref="EmulatorLimits.MaxSentReceiptsPerWallet"/> are kept.</summary>
    public EmulatorReceipt RecordReceiptSent(EmulatorWallet wallet, EmulatorTransaction transaction, string email)
    {
        lock (_gate)
        {
            var receipt = new EmulatorReceipt(transaction.TxnId, transaction.Type, email, Now);
            wallet.SentReceipts.Add(receipt);
            var excess = wallet.SentReceipts.Count - Math.Max(0, Limits.MaxSentReceiptsPerWallet);
            if (excess > 0) wallet.SentReceipts.RemoveRange(0, excess);
            Save();
            return receipt;
        }
    }

    public IReadOnlyList<EmulatorReceipt> SentReceipts(EmulatorWallet wallet)
    {
        lock (_gate) return wallet.SentReceipts.ToList();
    }

    /// <summary>Every ordered pair of the configured currencies: how many units of <c>from</c> buy one unit of <c>to</c>.</summary>
    public IReadOnlyList<(string From, string To, decimal Rate)> CrossRates()
    {
        var rates = _options.CurrencyRates.Where(r => r.Value > 0).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        return rates.SelectMany(from => rates.Where(to => to.Key != from.Key)
                .Select(to => (from.Key, to.Key, decimal.Round(to.Value / from.Value, 7, MidpointRounding.AwayFromZero))))
            .ToList();
    }
}

public sealed record OperationLimit(string Type, decimal Max, decimal Spent, decimal Rest, DateTimeOffset From, DateTimeOffset Till);

public sealed record BillResult(EmulatorBill? Bill, bool Found, string? Error)
{
    public static readonly BillResult NotFound = new(null, false, "No such invoice");

    public static BillResult Paid(EmulatorBill bill) => new(bill, true, null);

    public static BillResult Failed(string error) => new(null, true, error);
}

using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Marketplace.QiwiEmulator.State;

/// <summary>
/// The emulator's whole world: wallets, tokens, transactions, hooks and pending notifications.
/// One lock guards it all; the emulator is a test and sandbox double, so simple and obviously
/// correct beats fast. Every change is saved when a state file is configured.
/// </summary>
public sealed partial class EmulatorState
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly EmulatorOptions _options;
    private readonly EmulatorStore? _store;
    private readonly IWebhookHostResolver _resolver;
    private readonly ILogger _logger;
    private readonly Dictionary<long, EmulatorWallet> _wallets = [];
    private readonly Dictionary<string, EmulatorToken> _tokens = new(StringComparer.Ordinal);
    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly Dictionary<string, int> _walletsByCaller = new(StringComparer.Ordinal);
    private long _nextTxnId = 20_000_000_000;

    public EmulatorState(
        TimeProvider clock, IOptions<EmulatorOptions> options, IWebhookHostResolver? resolver = null, ILogger<EmulatorState>? logger = null)
    {
        _clock = clock;
        _options = options.Value;
        _resolver = resolver ?? new DnsWebhookHostResolver();
        _logger = logger ?? NullLogger<EmulatorState>.Instance;
        if (!string.IsNullOrWhiteSpace(_options.StateFile))
        {
            _store = new EmulatorStore(_options.StateFile);
            if (_store.Load() is { } snapshot)
            {
                foreach (var wallet in snapshot.Wallets)
                {
                    _wallets[wallet.PersonId] = wallet;
                    if (wallet.CreatedBy is { } caller) _walletsByCaller[caller] = _walletsByCaller.GetValueOrDefault(caller) + 1;
                }

                foreach (var token in snapshot.Tokens) _tokens[token.Value] = token;
                _nextTxnId = snapshot.NextTxnId;
            }
        }
    }

    public FaultPlan Faults { get; } = new();

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>QIWI's transaction dates have whole seconds; so do ours, or range filters would disagree with QIWI.</summary>
    public DateTimeOffset TransactionNow => TruncateToSecond(Now);

    public static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);

    private EmulatorLimits Limits => _options.Limits;

    /// <summary>Creates a wallet for <paramref name="caller"/> (a client address group, see <see cref="CallerOf"/>), within the wallet limits.</summary>
    public EmulatorWallet CreateWallet(long personId, IReadOnlyDictionary<int, decimal> balances, string? caller = null)
    {
        lock (_gate)
        {
            if (_wallets.ContainsKey(personId)) throw new EmulatorConflictException($"Wallet +{personId} already exists.");
            if (_wallets.Count >= Limits.MaxWallets)
                throw new EmulatorLimitException(409, "emulator.wallets.full", $"The emulator holds its maximum of {Limits.MaxWallets} wallets.");
            if (caller is not null && _walletsByCaller.GetValueOrDefault(caller) >= Limits.MaxWalletsPerCaller)
                throw new EmulatorLimitException(429, "emulator.wallets.caller-quota",
                    $"This client address has created its maximum of {Limits.MaxWalletsPerCaller} wallets.");
            var wallet = new EmulatorWallet { PersonId = personId, CreatedAt = Now, CreatedBy = caller };
            if (caller is not null) _walletsByCaller[caller] = _walletsByCaller.GetValueOrDefault(caller) + 1;
            foreach (var (currency, amount) in balances) wallet.Balances[currency] = amount;
            _wallets[personId] = wallet;
            Save();
            return wallet;
        }
    }

    /// <summary>
    /// The caller a wallet is counted against: the client's IPv4 address, or its IPv6 /64 (one
    /// subscriber usually holds a whole /64); "unknown" when the host gives no address (in-process tests).
    /// </summary>
    public static string CallerOf(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    public EmulatorWallet? FindWallet(long personId)
    {
        lock (_gate) return _wallets.GetValueOrDefault(personId);
    }

    /// <summary>Issues a token; as on QIWI, only one token is active per wallet, so the previous one stops working.</summary>
    public EmulatorToken IssueToken(long personId, PermissionGroup groups)
    {
        lock (_gate)
        {
            if (!_wallets.ContainsKey(personId)) throw new EmulatorNotFoundException($"Wallet +{personId} does not exist.");
            foreach (var old in _tokens.Values.Where(t => t.PersonId == personId)) old.Revoked = true;
            var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var token = new EmulatorToken(value, personId, groups, Now, Now + _options.TokenLifetime);
            _tokens[value] = token;
            PruneInactiveTokens(personId);
            Save();
            return token;
        }
    }

    /// <summary>Tokens held for a wallet, active or not (bounded by the limits).</summary>
    public int CountTokens(long personId)
    {
        lock (_gate) return _tokens.Values.Count(t => t.PersonId == personId);
    }

    /// <summary>
    /// Forgets all but the newest few revoked or expired tokens of a wallet. Invisible to clients:
    /// an unknown token answers 401 exactly as a revoked one does.
    /// </summary>
    private void PruneInactiveTokens(long personId)
    {
        var now = Now;
        foreach (var stale in _tokens.Values
                     .Where(t => t.PersonId == personId && (t.Revoked || t.ExpiresAt <= now))
                     .OrderByDescending(t => t.IssuedAt)
                     .Skip(Math.Max(0, Limits.MaxInactiveTokensPerWallet))
                     .ToList())
            _tokens.Remove(stale.Value);
    }

    public bool RevokeToken(string value)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(value, out var token)) return false;
            token.Revoked = true;
            Save();
            return true;
        }
    }

    public AuthResult Authenticate(string? bearer, PermissionGroup required)
    {
        lock (_gate)
        {
            if (bearer is null || !_tokens.TryGetValue(bearer, out var token) || token.Revoked || token.ExpiresAt <= Now)
                return AuthResult.Unauthorized;
            if ((token.Groups & required) != required) return AuthResult.Forbidden;
            return AuthResult.Ok(_wallets[token.PersonId]);
        }
    }

    /// <summary>Counts a history request against the wallet's per-minute budget; false when blocked.</summary>
    public bool TryConsumeHistoryRequest(EmulatorWallet wallet)
    {
        lock (_gate)
        {
            var now = Now;
            if (wallet.HistoryBlockedUntil is { } until && until > now) return false;
            while (wallet.RecentHistoryRequests.TryPeek(out var at) && at <= now - TimeSpan.FromMinutes(1))
                wallet.RecentHistoryRequests.Dequeue();
            if (wallet.RecentHistoryRequests.Count >= _options.HistoryRequestsPerMinute)
            {
                Block(wallet, now + _options.HistoryBlockDuration);
                return false;
            }

            wallet.RecentHistoryRequests.Enqueue(now);
            return true;
        }
    }

    public void Block(EmulatorWallet wallet, DateTimeOffset until)
    {
        lock (_gate)
        {
            wallet.HistoryBlockedUntil = until;
            wallet.RecentHistoryRequests.Clear();
        }
    }

    /// <summary>The wallet's history as a client may see it now: pending transfers that are due are settled first.</summary>
    public IReadOnlyList<EmulatorTransaction> Snapshot(EmulatorWallet wallet)
    {
        lock (_gate)
        {
            SettleDue();
            var visibleUntil = Now - Faults.Current.VisibilityDelay;
            return wallet.History.Where(t => t.Date <= visibleUntil).ToList();
        }
    }

    public EmulatorTransaction? FindTransaction(EmulatorWallet wallet, long txnId, string? type)
    {
        lock (_gate)
        {
            SettleDue();
            return wallet.History.FirstOrDefault(t => t.TxnId == txnId && (type is null || t.Type == type));
        }
    }

    public decimal CommissionFor(int providerId, decimal amount) =>
        _options.Tariffs.TryGetValue(providerId.ToString(CultureInfo.InvariantCulture), out var tariff) ? tariff.CommissionFor(amount) : 0m;

    public TariffOptions? TariffFor(int providerId) =>
        _options.Tariffs.GetValueOrDefault(providerId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A sinap payment. The client id makes it idempotent: a repeat of the same id returns the
    /// first result and moves no money. A wallet transfer (provider 99) appears in both histories
    /// under one transaction id: OUT for the sender, IN for the recipient. Other providers (cards,
    /// phones) only leave the sender's wallet.
    /// </summary>
    /// <param name="accountType">
    /// Provider 99999 only (transfer by nickname): "nickname" or "phone"; null lets the account's form
    /// decide (digits are a wallet number, anything else a nickname).
    /// </param>
    public PaymentResult Pay(EmulatorWallet sender, string clientId, int providerId, string account, decimal amount, string? comment, string? accountType = null)
    {
        lock (_gate)
        {
            // The sinap path checks this already; the payment form posts whatever the page sent.
            if (clientId.Length is 0 or > 20 || !clientId.All(char.IsAsciiDigit)) return PaymentResult.Failed(300, "id must be a string of at most 20 digits");
            if (sender.PaymentsByClientId.TryGetValue(clientId, out var previous)) return PaymentResult.Done(previous);
            // The OUTGOING_PAYMENTS restriction (contract §2.2): "your wallet status does not allow this payment" (§9.3).
            if (sender.OutgoingPaymentsRestricted) return PaymentResult.Failed(319, "Outgoing payments are blocked for this wallet");

            // A phone top-up pays the 10-digit national number, whichever form the caller wrote it in.
            if (Endpoints.PaymentEndpoints.IsMobile(providerId))
            {
                if (!PhoneNumber.TryNormalize(account, out var national)) return PaymentResult.Failed(303, "Wrong phone number (needs 10 digits)");
                account = national;
            }

            EmulatorWallet? recipient = null;
            if (providerId == 99999)
            {
                // Transfer by nickname (contract §8): the account is a nickname, or a wallet number when accountType is phone.
                var digits = account.Trim().TrimStart('+');
                var byPhone = accountType is null ? digits.Length > 0 && digits.All(char.IsAsciiDigit) : accountType == "phone";
                recipient = byPhone
                    ? long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _wallets.GetValueOrDefault(id) : null
                    : FindByNicknameLocked(account);
                if (recipient is null) return PaymentResult.Failed(5, byPhone ? "Number does not exist" : "Nickname does not exist");
                if (recipient.PersonId == sender.PersonId) return PaymentResult.Failed(4, "Cannot transfer to the same wallet");
                // The payer's history shows what the payer typed: the nickname, never the hidden number.
                account = byPhone ? recipient.Phone : NicknameOf(recipient.PersonId);
            }
            else if (providerId == 99)
            {
                if (!long.TryParse(account.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out var recipientId)
                    || !_wallets.TryGetValue(recipientId, out recipient))
                    return PaymentResult.Failed(5, "Number does not exist");
                if (recipient.PersonId == sender.PersonId) return PaymentResult.Failed(4, "Cannot transfer to the same wallet");
            }

            // Emulator limits (docs/qiwi-rail.md): checked before any money moves, answered with the
            // contract's own codes for "not allowed for this wallet".
            if (comment is { } text && text.Length > Limits.MaxCommentLength)
                return PaymentResult.Failed(300, $"Comment longer than {Limits.MaxCommentLength} characters");
            if (sender.PaymentsByClientId.Count >= Limits.MaxPaymentIdsPerWallet)
                return PaymentResult.Failed(700, $"Wallet limit exceeded: the emulator keeps at most {Limits.MaxPaymentIdsPerWallet} payments per wallet");
            if (sender.History.Count >= Limits.MaxHistoryRowsPerWallet)
                return PaymentResult.Failed(700, $"Wallet limit exceeded: the emulator keeps at most {Limits.MaxHistoryRowsPerWallet} history rows per wallet");
            if (recipient is not null && recipient.History.Count >= Limits.MaxHistoryRowsPerWallet)
                return PaymentResult.Failed(57, $"The recipient's wallet cannot receive more transfers: the emulator keeps at most {Limits.MaxHistoryRowsPerWallet} history rows per wallet");

            if (amount < 1m) return PaymentResult.Failed(241, "Amount below the minimum");
            if (TariffFor(providerId) is { } tariff && amount > tariff.LimitMax) return PaymentResult.Failed(242, "Amount above the maximum");
            var commission = CommissionFor(providerId, amount);
            if (sender.Balances.GetValueOrDefault(643) < amount + commission) return PaymentResult.Failed(220, "Insufficient funds");

            var txnId = _nextTxnId++;
            var now = TransactionNow;
            var waiting = _options.TransfersStartWaiting;
            var status = waiting ? "WAITING" : "SUCCESS";
            sender.Balances[643] -= amount + commission;
            var outgoing = new EmulatorTransaction
            {
                TxnId = txnId, PersonId = sender.PersonId, Date = now, Type = "OUT", Status = status,
                Account = providerId == 99999 ? account : recipient?.Phone ?? MaskAccount(providerId, account), Amount = amount, Currency = 643,
                Commission = commission, Comment = comment, TrmTxnId = clientId, ProviderId = providerId, SourceId = 7,
                SettleAt = waiting ? now + _options.WaitingDuration : null, SettleTo = waiting ? _options.WaitingOutcome : null,
            };
            sender.History.Add(outgoing);
            Notify(sender, outgoing);
            if (recipient is not null)
            {
                var incoming = new EmulatorTransaction
                {
                    TxnId = txnId, PersonId = recipient.PersonId, Date = now, Type = "IN", Status = status,
                    Account = sender.Phone, Amount = amount, Currency = 643, Comment = comment, TrmTxnId = clientId,
                    ProviderId = 7, SourceId = providerId,
                    SettleAt = outgoing.SettleAt, SettleTo = outgoing.SettleTo,
                };
                recipient.History.Add(incoming);
                if (!waiting) recipient.Balances[643] = recipient.Balances.GetValueOrDefault(643) + amount;
                Notify(recipient, incoming);
            }

            var payment = new EmulatorPayment(clientId, txnId, providerId, outgoing.Account, amount, comment);
            sender.PaymentsByClientId[clientId] = payment;
            Save();
            return PaymentResult.Done(payment);
        }
    }

    /// <summary>Adds an arbitrary entry to a wallet's history (admin API): transfers from outside, odd statuses, other currencies.</summary>
    public EmulatorTransaction Inject(EmulatorWallet wallet, Func<long, EmulatorTransaction> create)
    {
        lock (_gate)
        {
            if (wallet.History.Count >= Limits.MaxHistoryRowsPerWallet)
                throw new EmulatorLimitException(409, "emulator.history.full",
                    $"Wallet +{wallet.PersonId} holds the maximum of {Limits.MaxHistoryRowsPerWallet} history rows.");
            var transaction = create(_nextTxnId++);
            wallet.History.Add(transaction);
            if (transaction.Status == "SUCCESS") ApplyToBalance(wallet, transaction);
            Notify(wallet, transaction);
            Save();
            return transaction;
        }
    }

    /// <summary>Moves a WAITING transaction (both sides of a transfer) to SUCCESS or ERROR, with the money following.</summary>
    public EmulatorTransaction? SetStatus(long txnId, string status, int errorCode)
    {
        lock (_gate)
        {
            var sides = _wallets.Values.SelectMany(w => w.History.Select(t => (Wallet: w, Transaction: t)))
                .Where(p => p.Transaction.TxnId == txnId).ToList();
            foreach (var (wallet, transaction) in sides) ChangeStatus(wallet, transaction, status, errorCode);
            Save();
            return sides.Count == 0 ? null : sides[0].Transaction;
        }
    }

    public IReadOnlyDictionary<int, decimal> Balances(EmulatorWallet wallet)
    {
        lock (_gate)
        {
            SettleDue();
            return new Dictionary<int, decimal>(wallet.Balances);
        }
    }

    public bool AddCurrencyAccount(EmulatorWallet wallet, int currency)
    {
        lock (_gate)
        {
            if (!wallet.Balances.TryAdd(currency, 0m)) return false;
            Save();
            return true;
        }
    }

    public bool SetDefaultCurrency(EmulatorWallet wallet, int currency)
    {
        lock (_gate)
        {
            if (!wallet.Balances.ContainsKey(currency)) return false;
            wallet.DefaultCurrency = currency;
            Save();
            return true;
        }
    }

    private void SettleDue()
    {
        var now = Now;
        var changed = false;
        foreach (var wallet in _wallets.Values)
        {
            foreach (var transaction in wallet.History.Where(t => t.Status == "WAITING" && t.SettleAt <= now).ToList())
            {
                ChangeStatus(wallet, transaction, transaction.SettleTo ?? "SUCCESS", transaction.SettleTo == "ERROR" ? 3 : 0);
                changed = true;
            }
        }

        if (changed) Save();
    }

    private void ChangeStatus(EmulatorWallet wallet, EmulatorTransaction transaction, string status, int errorCode)
    {
        var was = transaction.Status;
        if (was == status) return;
        transaction.Status = status;
        transaction.ErrorCode = status == "ERROR" ? (errorCode == 0 ? 3 : errorCode) : 0;
        transaction.Error = status == "ERROR" ? "Technical error" : null;
        transaction.SettleAt = null;

        // Money: an outgoing payment was debited when made, so only a failure refunds it; an
        // incoming one is credited only on success. Injected entries follow the same rule.
        if (transaction.Type == "OUT" && status == "ERROR" && was != "ERROR")
            wallet.Balances[transaction.Currency] = wallet.Balances.GetValueOrDefault(transaction.Currency) + transaction.Amount + transaction.Commission;
        if (transaction.Type == "OUT" && was == "ERROR" && status != "ERROR")
            wallet.Balances[transaction.Currency] = wallet.Balances.GetValueOrDefault(transaction.Currency) - transaction.Amount - transaction.Commission;
        if (transaction.Type == "IN" && status == "SUCCESS") ApplyToBalance(wallet, transaction);
        if (transaction.Type == "IN" && was == "SUCCESS") wallet.Balances[transaction.Currency] -= transaction.Amount;
        Notify(wallet, transaction);
    }

    private static void ApplyToBalance(EmulatorWallet wallet, EmulatorTransaction transaction)
    {
        var sign = transaction.Type == "IN" ? 1 : -1;
        wallet.Balances[transaction.Currency] = wallet.Balances.GetValueOrDefault(transaction.Currency) + sign * (transaction.Amount + (sign < 0 ? transaction.Commission : 0));
    }

    private static string MaskAccount(int providerId, string account) =>
        providerId is 1963 or 21013 or 31652 or 22351 or 1960 or 21012 && account.Length >= 10
            ? account[..4] + new string('*', account.Length - 8) + account[^4..]
            : account;

    private void Save()
    {
        _store?.Save(new EmulatorSnapshot(_wallets.Values.ToList(), _tokens.Values.ToList(), _nextTxnId));
    }
}

public sealed record AuthResult(EmulatorWallet? Wallet, int Status)
{
    public static readonly AuthResult Unauthorized = new(null, 401);
    public static readonly AuthResult Forbidden = new(null, 403);

    public static AuthResult Ok(EmulatorWallet wallet) => new(wallet, 200);
}

public sealed record PaymentResult(EmulatorPayment? Payment, int ErrorCode, string? Message)
{
    public static PaymentResult Done(EmulatorPayment payment) => new(payment, 0, null);

    public static PaymentResult Failed(int code, string message) => new(null, code, message);
}

public sealed class EmulatorConflictException(string message) : Exception(message);

public sealed class EmulatorNotFoundException(string message) : Exception(message);

/// <summary>A limit of <see cref="EmulatorLimits"/> refused the change; <see cref="Code"/> names which.</summary>
public sealed class EmulatorLimitException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}

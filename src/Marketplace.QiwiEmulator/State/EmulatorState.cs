using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Marketplace.QiwiEmulator.State;

/// <summary>
/// The emulator's whole world: wallets, tokens and transactions. One lock guards it all; the
/// emulator is a test and sandbox double, so simple and obviously correct beats fast.
/// </summary>
public sealed class EmulatorState(TimeProvider clock, IOptions<EmulatorOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, EmulatorWallet> _wallets = [];
    private readonly Dictionary<string, EmulatorToken> _tokens = new(StringComparer.Ordinal);
    private long _nextTxnId = 20_000_000_000;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>QIWI's transaction dates have whole seconds; so do ours, or range filters would disagree with QIWI.</summary>
    public DateTimeOffset TransactionNow => TruncateToSecond(Now);

    public static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);

    public EmulatorWallet CreateWallet(long personId, IReadOnlyDictionary<int, decimal> balances)
    {
        lock (_gate)
        {
            if (_wallets.ContainsKey(personId)) throw new EmulatorConflictException($"Wallet +{personId} already exists.");
            var wallet = new EmulatorWallet(personId, Now);
            foreach (var (currency, amount) in balances) wallet.Balances[currency] = amount;
            _wallets[personId] = wallet;
            return wallet;
        }
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
            var token = new EmulatorToken(value, personId, groups, Now, Now + options.Value.TokenLifetime);
            _tokens[value] = token;
            return token;
        }
    }

    public bool RevokeToken(string value)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(value, out var token)) return false;
            token.Revoked = true;
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
            if (wallet.RecentHistoryRequests.Count >= options.Value.HistoryRequestsPerMinute)
            {
                wallet.HistoryBlockedUntil = now + options.Value.HistoryBlockDuration;
                wallet.RecentHistoryRequests.Clear();
                return false;
            }

            wallet.RecentHistoryRequests.Enqueue(now);
            return true;
        }
    }

    public IReadOnlyList<EmulatorTransaction> Snapshot(EmulatorWallet wallet)
    {
        lock (_gate) return wallet.History.ToList();
    }

    public EmulatorTransaction? FindTransaction(EmulatorWallet wallet, long txnId, string? type)
    {
        lock (_gate) return wallet.History.FirstOrDefault(t => t.TxnId == txnId && (type is null || t.Type == type));
    }

    /// <summary>
    /// A wallet-to-wallet transfer (provider 99). The client id makes it idempotent: a repeat of
    /// the same id returns the first result and moves no money. Both wallets' histories get an entry
    /// under one transaction id: OUT for the sender, IN for the recipient.
    /// </summary>
    public TransferResult Transfer(EmulatorWallet sender, string clientId, long recipientId, decimal amount, string? comment)
    {
        lock (_gate)
        {
            if (sender.PaymentsByClientId.TryGetValue(clientId, out var previous)) return TransferResult.Done(previous);
            if (!_wallets.TryGetValue(recipientId, out var recipient)) return TransferResult.Failed(5, "Number does not exist");
            if (recipient.PersonId == sender.PersonId) return TransferResult.Failed(4, "Cannot transfer to the same wallet");
            if (amount < 1m) return TransferResult.Failed(241, "Amount below the minimum");
            if (sender.Balances.GetValueOrDefault(643) < amount) return TransferResult.Failed(220, "Insufficient funds");

            var txnId = _nextTxnId++;
            var now = TransactionNow;
            sender.Balances[643] -= amount;
            recipient.Balances[643] = recipient.Balances.GetValueOrDefault(643) + amount;
            sender.History.Add(new EmulatorTransaction
            {
                TxnId = txnId, PersonId = sender.PersonId, Date = now, Type = "OUT", Status = "SUCCESS",
                Account = recipient.Phone, Amount = amount, Currency = 643, Comment = comment, TrmTxnId = clientId,
                ProviderId = 99, SourceId = 7,
            });
            recipient.History.Add(new EmulatorTransaction
            {
                TxnId = txnId, PersonId = recipient.PersonId, Date = now, Type = "IN", Status = "SUCCESS",
                Account = sender.Phone, Amount = amount, Currency = 643, Comment = comment, TrmTxnId = clientId,
                ProviderId = 7, SourceId = 99,
            });
            var payment = new EmulatorPayment(clientId, txnId, recipient.Phone, amount, comment);
            sender.PaymentsByClientId[clientId] = payment;
            return TransferResult.Done(payment);
        }
    }

    /// <summary>Adds an arbitrary entry to a wallet's history (admin API): transfers from outside the emulator, odd statuses, other currencies.</summary>
    public EmulatorTransaction Inject(EmulatorWallet wallet, Func<long, EmulatorTransaction> create)
    {
        lock (_gate)
        {
            var transaction = create(_nextTxnId++);
            wallet.History.Add(transaction);
            if (transaction is { Status: "SUCCESS", Type: "IN" })
                wallet.Balances[transaction.Currency] = wallet.Balances.GetValueOrDefault(transaction.Currency) + transaction.Amount;
            return transaction;
        }
    }

    public EmulatorTransaction? SetStatus(long txnId, string status, int errorCode)
    {
        lock (_gate)
        {
            EmulatorTransaction? first = null;
            foreach (var transaction in _wallets.Values.SelectMany(w => w.History).Where(t => t.TxnId == txnId))
            {
                transaction.Status = status;
                transaction.ErrorCode = errorCode;
                transaction.Error = errorCode == 0 ? null : "Error " + errorCode;
                first ??= transaction;
            }

            return first;
        }
    }

    public IReadOnlyDictionary<int, decimal> Balances(EmulatorWallet wallet)
    {
        lock (_gate) return new Dictionary<int, decimal>(wallet.Balances);
    }
}

public sealed record AuthResult(EmulatorWallet? Wallet, int Status)
{
    public static readonly AuthResult Unauthorized = new(null, 401);
    public static readonly AuthResult Forbidden = new(null, 403);

    public static AuthResult Ok(EmulatorWallet wallet) => new(wallet, 200);
}

public sealed record TransferResult(EmulatorPayment? Payment, int ErrorCode, string? Message)
{
    public static TransferResult Done(EmulatorPayment payment) => new(payment, 0, null);

    public static TransferResult Failed(int code, string message) => new(null, code, message);
}

public sealed class EmulatorConflictException(string message) : Exception(message);

public sealed class EmulatorNotFoundException(string message) : Exception(message);

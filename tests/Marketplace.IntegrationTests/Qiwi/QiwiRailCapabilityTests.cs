using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;
using Marketplace.Domain.Payments;
using Marketplace.Rails.Qiwi;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>
/// The QIWI rail's capabilities against the emulator over real HTTP: what the matcher and the wallet
/// connection rely on, each capability on its own.
/// </summary>
public sealed class QiwiRailCapabilityTests : IAsyncLifetime
{
    private QiwiClientHarness _qiwi = null!;

    // Pages of two rows, so a handful of transfers spans several requests; loopback hook receivers allowed.
    public async ValueTask InitializeAsync() => _qiwi = await QiwiClientHarness.StartAsync(
        clientSettings: new() { ["Qiwi:HistoryPageSize"] = "2" },
        emulatorSettings: new() { ["QiwiEmulator:AllowLoopbackWebhooks"] = "true" });

    public async ValueTask DisposeAsync() => await _qiwi.DisposeAsync();

    private HistoryRange LastHour => new(_qiwi.Clock.GetUtcNow().AddHours(-1), _qiwi.Clock.GetUtcNow());

    [Fact]
    public void Every_capability_is_registered_under_qiwi()
    {
        IRailCapability[] capabilities = [_qiwi.Connector, _qiwi.History, _qiwi.Lookup, _qiwi.Push, _qiwi.Links];

        Assert.All(capabilities, c => Assert.Equal(new PaymentMethodId("qiwi"), c.Method));
        Assert.Equal(new[] { "RUB" }, _qiwi.Connector.ReceivableCurrencies.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(1), _qiwi.History.Resolution);
        Assert.Equal("+79001234567", _qiwi.Connector.NormalizeAccount("+7 (900) 123-45-67"));
        Assert.Null(_qiwi.Connector.NormalizeAccount("not a phone"));
    }

    [Fact]
    public async Task Paging_with_the_continuation_across_several_pages_reads_the_whole_range_once()
    {
        var (phone, _, token) = await _qiwi.NewWalletAsync(balance: 100m);
        var (other, _, _) = await _qiwi.NewWalletAsync();
        var injected = new List<string>();
        for (var i = 0; i < 7; i++)
            injected.Add((await _qiwi.Admin.InjectIncomingAsync(phone, 10 + i, $"c{i}", date: _qiwi.Clock.GetUtcNow().AddMinutes(-i - 1)))
                .ToString(CultureInfo.InvariantCulture));
        await _qiwi.Payments.TransferToWalletAsync(token, other, 5m, "outgoing"); // an OUT row: never an incoming transfer
        var outside = await _qiwi.Admin.InjectIncomingAsync(phone, 99, "too old", date: _qiwi.Clock.GetUtcNow().AddHours(-2));

        var (transfers, pages) = await _qiwi.ReadAllAsync(new WalletCredentials(phone, token), LastHour);

        Assert.True(pages >= 4, $"{pages} pages"); // 7 rows, 2 a page
        Assert.Equal(injected.Order(), transfers.Select(t => t.TransactionId).Order());
        Assert.DoesNotContain(outside.ToString(CultureInfo.InvariantCulture), transfers.Select(t => t.TransactionId));
        Assert.Equal(transfers.OrderByDescending(t => t.OccurredAt).Select(t => t.TransactionId), transfers.Select(t => t.TransactionId));
    }

    [Fact]
    public async Task A_page_is_one_request_and_its_continuation_is_short_and_opaque()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync();
        for (var i = 0; i < 3; i++) await _qiwi.Admin.InjectIncomingAsync(phone, 10, $"p{i}", date: _qiwi.Clock.GetUtcNow().AddMinutes(-i - 1));
        var credentials = new WalletCredentials(phone, token);

        var first = await _qiwi.History.ReadPageAsync(credentials, LastHour, null, CancellationToken.None);
        var second = await _qiwi.History.ReadPageAsync(credentials, LastHour, first.Continuation, CancellationToken.None);

        Assert.Equal(2, first.Transfers.Count);
        Assert.NotNull(first.Continuation);
        Assert.True(first.Continuation.Length <= 200);
        Assert.Single(second.Transfers);
        Assert.Null(second.Continuation);
        Assert.Equal(2, _qiwi.State.FindWallet(personId)!.RecentHistoryRequests.Count); // exactly one request each
        var refused = await Assert.ThrowsAsync<PaymentRailException>(() =>
            _qiwi.History.ReadPageAsync(credentials, LastHour, "not ours", CancellationToken.None));
        Assert.Equal(PaymentRailErrorKind.Rejected, refused.Kind);
    }

    [Fact]
    public async Task An_empty_range_is_an_empty_last_page_even_when_qiwi_answers_404()
    {
        await using var strict = await QiwiClientHarness.StartAsync(emulatorSettings: new() { ["QiwiEmulator:EmptyHistoryIsNotFound"] = "true" });
        var (phone, _, token) = await strict.NewWalletAsync();

        var page = await strict.History.ReadPageAsync(new WalletCredentials(phone, token),
            new HistoryRange(strict.Clock.GetUtcNow().AddHours(-1), strict.Clock.GetUtcNow()), null, CancellationToken.None);

        Assert.Empty(page.Transfers);
        Assert.Null(page.Continuation);
    }

    [Fact]
    public async Task A_transfer_carries_its_amounts_status_sender_and_the_raw_row()
    {
        var (buyer, _, buyerToken) = await _qiwi.NewWalletAsync(balance: 500m);
        var (seller, _, sellerToken) = await _qiwi.NewWalletAsync();
        await _qiwi.Payments.TransferToWalletAsync(buyerToken, seller, 150.5m, "K7P3M9XQ2R");
        await _qiwi.Admin.InjectIncomingAsync(seller, 10m, "waiting", status: "WAITING");
        await _qiwi.Admin.InjectIncomingAsync(seller, 10m, "failed", status: "ERROR");
        await _qiwi.Admin.InjectIncomingAsync(seller, 10m, "dollars", currency: 840);

        var (transfers, _) = await _qiwi.ReadAllAsync(new WalletCredentials(seller, sellerToken), LastHour);

        var paid = transfers.Single(t => t.Comment == "K7P3M9XQ2R");
        Assert.Equal((150.5m, "RUB", TransferStatus.Succeeded, buyer), (paid.Amount, paid.Currency, paid.Status, paid.SenderAccount));
        Assert.Equal(150.5m, paid.PayerAmount); // QIWI's total: what the payer was charged (wallet transfers are free)
        Assert.Equal(TransferStatus.Pending, transfers.Single(t => t.Comment == "waiting").Status);
        Assert.Equal(TransferStatus.Failed, transfers.Single(t => t.Comment == "failed").Status);
        Assert.Equal("USD", transfers.Single(t => t.Comment == "dollars").Currency);

        Assert.NotNull(paid.Raw);
        Assert.DoesNotContain('\n', paid.Raw);
        using var raw = JsonDocument.Parse(paid.Raw);
        Assert.Equal(long.Parse(paid.TransactionId, CultureInfo.InvariantCulture), raw.RootElement.GetProperty("txnId").GetInt64());
        Assert.Equal(150.5m, raw.RootElement.GetProperty("sum").GetProperty("amount").GetDecimal());
        Assert.Equal(643, raw.RootElement.GetProperty("total").GetProperty("currency").GetInt32());
        Assert.Equal("IN", raw.RootElement.GetProperty("type").GetString());
        Assert.True(Encoding.UTF8.GetByteCount(paid.Raw) <= 8 * 1024);
    }

    [Fact]
    public async Task Transfer_lookup_finds_an_incoming_transfer_and_nothing_else()
    {
        var (buyer, _, buyerToken) = await _qiwi.NewWalletAsync(balance: 500m);
        var (seller, _, sellerToken) = await _qiwi.NewWalletAsync();
        var (stranger, _, strangerToken) = await _qiwi.NewWalletAsync();
        var paid = await _qiwi.Payments.TransferToWalletAsync(buyerToken, seller, 42m, "lookup");
        var txnId = paid.Transaction.Id;
        var sellerWallet = new WalletCredentials(seller, sellerToken);

        var found = await _qiwi.Lookup.FindIncomingAsync(sellerWallet, txnId, CancellationToken.None);
        var outgoing = await _qiwi.Lookup.FindIncomingAsync(new WalletCredentials(buyer, buyerToken), txnId, CancellationToken.None);
        var notTheirs = await _qiwi.Lookup.FindIncomingAsync(new WalletCredentials(stranger, strangerToken), txnId, CancellationToken.None);
        var unknown = await _qiwi.Lookup.FindIncomingAsync(sellerWallet, "987654321987", CancellationToken.None);
        var garbage = await _qiwi.Lookup.FindIncomingAsync(sellerWallet, "12; DROP", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal((txnId, 42m, "RUB", "lookup", buyer, TransferStatus.Succeeded),
            (found.TransactionId, found.Amount, found.Currency, found.Comment, found.SenderAccount, found.Status));
        Assert.NotNull(found.Raw);
        Assert.Null(outgoing); // the buyer's side of the same transaction is OUT
        Assert.Null(notTheirs);
        Assert.Null(unknown);
        Assert.Null(garbage);
    }

    [Fact]
    public async Task The_connector_reports_whether_a_token_could_manage_notifications_without_changing_anything()
    {
        var (phone, personId, full) = await _qiwi.NewWalletAsync();
        var readOnly = await _qiwi.Admin.IssueTokenAsync(phone, "ProfileRead", "HistoryRead"); // revokes the full one
        var (other, _, fullOther) = await _qiwi.NewWalletAsync();

        var withoutGroup4 = await _qiwi.Connector.VerifyAsync(new WalletCredentials(phone, readOnly), CancellationToken.None);
        var withAll = await _qiwi.Connector.VerifyAsync(new WalletCredentials(other, fullOther), CancellationToken.None);

        Assert.False(withoutGroup4.CanManageNotifications);
        Assert.True(withAll.CanManageNotifications);
        Assert.Null(_qiwi.State.ActiveHook(_qiwi.State.FindWallet(personId)!));
        Assert.NotEqual(full, readOnly);
    }

    [Fact]
    public async Task The_connector_refuses_a_token_of_another_wallet_or_without_history()
    {
        var (phone, _, _) = await _qiwi.NewWalletAsync();
        var (_, _, otherToken) = await _qiwi.NewWalletAsync();
        var noHistory = await _qiwi.Admin.IssueTokenAsync(phone, "ProfileRead");

        var mismatch = await Assert.ThrowsAsync<PaymentRailException>(() =>
            _qiwi.Connector.VerifyAsync(new WalletCredentials(phone, otherToken), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<PaymentRailException>(() =>
            _qiwi.Connector.VerifyAsync(new WalletCredentials(phone, noHistory), CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<PaymentRailException>(() =>
            _qiwi.Connector.VerifyAsync(new WalletCredentials(phone, "no-such-token"), CancellationToken.None));

        Assert.Equal(PaymentRailErrorKind.AccountMismatch, mismatch.Kind);
        Assert.Equal(PaymentRailErrorKind.MissingPermission, missing.Kind);
        Assert.Equal(PaymentRailErrorKind.InvalidCredentials, unknown.Kind);
        Assert.True(unknown.CredentialsRejected);
    }

    [Fact]
    public async Task Subscribe_registers_an_incoming_hook_and_never_replaces_a_foreign_one_unless_asked()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync();
        var wallet = new WalletCredentials(phone, token);
        var ours = new Uri("http://127.0.0.1:9/hooks/qiwi");
        var theirs = new Uri("http://127.0.0.1:9/someone-else");

        var subscription = await _qiwi.Push.SubscribeAsync(wallet, ours, replaceExisting: false, CancellationToken.None);
        var again = await _qiwi.Push.SubscribeAsync(wallet, ours, replaceExisting: false, CancellationToken.None);
        var exists = await Assert.ThrowsAsync<PaymentRailException>(() =>
            _qiwi.Push.SubscribeAsync(wallet, theirs, replaceExisting: false, CancellationToken.None));
        var hook = _qiwi.State.ActiveHook(_qiwi.State.FindWallet(personId)!)!;

        Assert.Equal((hook.HookId, hook.Key, 0, ours.ToString()), (subscription.SubscriptionId, subscription.SigningKey, hook.TxnType, hook.Url));
        Assert.Equal(subscription, again); // already ours: the same hook and key
        Assert.Equal(PaymentRailErrorKind.HookExists, exists.Kind);
        Assert.DoesNotContain(subscription.SigningKey, subscription.ToString(), StringComparison.Ordinal);

        var replaced = await _qiwi.Push.SubscribeAsync(wallet, theirs, replaceExisting: true, CancellationToken.None);
        var active = await _qiwi.Api.GetActiveWebhookAsync(token);

        Assert.NotEqual(subscription.SubscriptionId, replaced.SubscriptionId);
        Assert.Equal((replaced.SubscriptionId, theirs.ToString(), "IN"), (active.HookId, active.HookParameters.Url, active.TxnType));
        Assert.Equal(replaced.SigningKey, (await _qiwi.Api.GetWebhookKeyAsync(token, replaced.SubscriptionId)).Key);
    }

    [Fact]
    public async Task Subscribe_refuses_a_long_callback_and_a_token_without_the_payments_group()
    {
        var (phone, _, token) = await _qiwi.NewWalletAsync();
        var readOnly = await _qiwi.Admin.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");

        var tooLong = await Assert.ThrowsAsync<PaymentRailException>(() => _qiwi.Push.SubscribeAsync(new WalletCredentials(phone, token),
            new Uri("https://hooks.example.test/" + new string('a', 80)), false, CancellationToken.None));
        var forbidden = await Assert.ThrowsAsync<PaymentRailException>(() => _qiwi.Push.SubscribeAsync(new WalletCredentials(phone, readOnly),
            new Uri("http://127.0.0.1:9/hook"), false, CancellationToken.None));

        Assert.Equal(PaymentRailErrorKind.Rejected, tooLong.Kind);
        Assert.Equal(100, _qiwi.Push.MaxCallbackLength);
        Assert.Equal(PaymentRailErrorKind.MissingPermission, forbidden.Kind);
    }

    [Fact]
    public async Task Unsubscribe_removes_the_hook_and_a_second_time_is_no_error()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync();
        var wallet = new WalletCredentials(phone, token);
        var subscription = await _qiwi.Push.SubscribeAsync(wallet, new Uri("http://127.0.0.1:9/hook"), false, CancellationToken.None);

        await _qiwi.Push.UnsubscribeAsync(wallet, subscription.SubscriptionId, CancellationToken.None);
        await _qiwi.Push.UnsubscribeAsync(wallet, subscription.SubscriptionId, CancellationToken.None);

        Assert.Null(_qiwi.State.ActiveHook(_qiwi.State.FindWallet(personId)!));
    }

    [Fact]
    public async Task Verify_accepts_the_notification_the_emulator_sends_and_rejects_anything_altered()
    {
        await using var receiver = await QiwiEmulatorBehaviourTests.Receiver.StartAsync(failFirst: 0);
        var (_, _, buyerToken) = await _qiwi.NewWalletAsync(balance: 500m);
        var (seller, _, sellerToken) = await _qiwi.NewWalletAsync();
        var wallet = new WalletCredentials(seller, sellerToken);
        var subscription = await _qiwi.Push.SubscribeAsync(wallet, new Uri(receiver.Url), false, CancellationToken.None);

        var paid = await _qiwi.Payments.TransferToWalletAsync(buyerToken, seller, 150.5m, "pushed");
        await QiwiEmulatorBehaviourTests.DeliverAsync(_qiwi);
        await QiwiWebhookTargetTests.WaitUntilAsync(() => !receiver.Bodies.IsEmpty);
        var body = Assert.Single(receiver.Bodies);
        var bytes = Encoding.UTF8.GetBytes(body);

        var notification = _qiwi.Push.Verify(bytes, subscription.SigningKey);

        Assert.NotNull(notification);
        Assert.Equal(paid.Transaction.Id, notification.TransactionId);
        Assert.False(notification.IsTest);
        Assert.True(Guid.TryParse(notification.MessageId, out _));
        // The notification only says "look now": the lookup confirms it.
        Assert.Equal(150.5m, (await _qiwi.Lookup.FindIncomingAsync(wallet, notification.TransactionId!, CancellationToken.None))!.Amount);

        Assert.Null(_qiwi.Push.Verify(Encoding.UTF8.GetBytes(body.Replace("\"amount\":150.5", "\"amount\":1500.5", StringComparison.Ordinal)), subscription.SigningKey));
        Assert.Null(_qiwi.Push.Verify(Encoding.UTF8.GetBytes(body.Replace(paid.Transaction.Id, "1" + paid.Transaction.Id, StringComparison.Ordinal)), subscription.SigningKey));
        Assert.Null(_qiwi.Push.Verify(bytes, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        Assert.Null(_qiwi.Push.Verify(bytes, "not base64!"));
        Assert.Null(_qiwi.Push.Verify("{\"hash\":"u8, subscription.SigningKey));
        Assert.Null(_qiwi.Push.Verify("[]"u8, subscription.SigningKey));
        Assert.Null(_qiwi.Push.Verify([], subscription.SigningKey));
        Assert.Null(_qiwi.Push.Verify(Encoding.UTF8.GetBytes(SignedWithoutTxnId(body, subscription.SigningKey)), subscription.SigningKey));
    }

    [Fact]
    public async Task A_signed_test_notification_verifies_as_a_test_without_a_transaction()
    {
        await using var receiver = await QiwiEmulatorBehaviourTests.Receiver.StartAsync(failFirst: 0);
        var (phone, _, token) = await _qiwi.NewWalletAsync();
        var subscription = await _qiwi.Push.SubscribeAsync(new WalletCredentials(phone, token), new Uri(receiver.Url), false, CancellationToken.None);

        await _qiwi.Api.SendTestWebhookAsync(token);
        await QiwiEmulatorBehaviourTests.DeliverAsync(_qiwi);
        await QiwiWebhookTargetTests.WaitUntilAsync(() => !receiver.Bodies.IsEmpty);
        var body = Encoding.UTF8.GetBytes(Assert.Single(receiver.Bodies));

        var notification = _qiwi.Push.Verify(body, subscription.SigningKey);

        Assert.NotNull(notification);
        Assert.True(notification.IsTest);
        Assert.Null(notification.TransactionId); // its sample payment is in no history: nothing to look up
        Assert.Null(_qiwi.Push.Verify(body, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
    }

    [Fact]
    public void The_pay_link_opens_the_form_with_account_amount_and_comment_locked()
    {
        var link = _qiwi.Links.Build("+79001234567", new Money(150.05m, "RUB"), "K7P3M9XQ2R");

        Assert.Equal(new Uri(_qiwi.Emulator.BaseAddress, "payment/form/99").AbsolutePath, link.AbsolutePath);
        Assert.Equal(
            "?extra%5B%27account%27%5D=79001234567&amountInteger=150&amountFraction=5&currency=643&extra%5B%27comment%27%5D=K7P3M9XQ2R"
            + "&blocked%5B0%5D=sum&blocked%5B1%5D=account&blocked%5B2%5D=comment",
            link.Query);
    }

    /// <summary>
    /// The same notification with txnId left out of signFields and a hash that is genuine for what remains
    /// (as if forged by whoever holds the key, or replayed with a foreign id): the transaction id would be unsigned.
    /// </summary>
    private static string SignedWithoutTxnId(string body, string key)
    {
        const string all = "\"signFields\":\"sum.currency,sum.amount,type,account,txnId\"";
        const string fewer = "\"signFields\":\"sum.currency,sum.amount,type,account\"";
        Assert.Contains(all, body, StringComparison.Ordinal);
        var altered = body.Replace(all, fewer, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(altered);
        var oldHash = document.RootElement.GetProperty("hash").GetString()!;
        var newHash = QiwiWebhookSignature.Compute(QiwiWebhookSignature.JoinSignFields(document.RootElement.GetProperty("payment")), key);
        return altered.Replace(oldHash, newHash, StringComparison.Ordinal);
    }
}

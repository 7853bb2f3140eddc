using System.Net.Http.Json;
using Marketplace.Application.Payments.Rails;
using Marketplace.Rails.Qiwi;
using Marketplace.QiwiEmulator.State;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>Under injected faults the client recovers, never pays twice and never trips QIWI's rate-limit block.</summary>
public sealed class QiwiResilienceTests : IAsyncLifetime
{
    private QiwiClientHarness _qiwi = null!;

    public async ValueTask InitializeAsync() =>
        _qiwi = await QiwiClientHarness.StartAsync(new() { ["Qiwi:HistoryPageSize"] = "2" });

    public async ValueTask DisposeAsync() => await _qiwi.DisposeAsync();

    private Task SetFaultsAsync(FaultSettings faults) => _qiwi.Admin.Http.PutAsJsonAsync("admin/v1/faults", faults);

    [Fact]
    public async Task A_burst_of_server_errors_on_a_read_is_retried_away()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { ServerErrors = 2 });

        var profile = await _qiwi.Api.GetProfileAsync(token);

        Assert.Equal(personId, profile.AuthInfo!.PersonId);
        Assert.Equal(0, _qiwi.State.Faults.Current.ServerErrors);
    }

    [Fact]
    public async Task A_read_that_hangs_times_out_and_is_retried()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { Timeouts = 1 });

        var accounts = await _qiwi.Api.GetAccountsAsync(token, personId);

        Assert.Single(accounts.Accounts);
    }

    [Fact]
    public async Task Persistent_failure_surfaces_as_a_transient_exception()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { ServerErrors = 10 });

        var error = await Assert.ThrowsAsync<QiwiTransientException>(() => _qiwi.Api.GetProfileAsync(token));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_transient_exception_not_a_crash()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { MalformedJson = 1 });

        await Assert.ThrowsAsync<QiwiTransientException>(() => _qiwi.Api.GetProfileAsync(token));
        Assert.NotNull(await _qiwi.Api.GetProfileAsync(token)); // and the next call is fine
    }

    [Fact]
    public async Task A_payment_whose_answer_is_lost_is_retried_with_the_same_id_and_paid_once()
    {
        var (_, buyerId, token) = await _qiwi.NewWalletAsync(balance: 1000m);
        var (seller, sellerId, sellerToken) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { LostResponses = 1, PathContains = "/sinap/" });

        var paid = await _qiwi.Payments.TransferToWalletAsync(token, seller, 100m, "once");

        Assert.Equal("Accepted", paid.Transaction.State.Code);
        Assert.Equal(900m, (await _qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
        Assert.Single((await _qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 10)).Data);
    }

    [Fact]
    public async Task A_payment_is_never_retried_by_the_generic_http_retry()
    {
        var (_, buyerId, token) = await _qiwi.NewWalletAsync(balance: 1000m);
        var (seller, _, _) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { LostResponses = 1, PathContains = "/sinap/" });

        // Straight through the typed API (no QiwiPayments): a lost answer is reported, not silently re-sent.
        await Assert.ThrowsAsync<QiwiTransientException>(() => _qiwi.Api.PayAsync(token, 99,
            new QiwiPaymentRequest("1700000000123", new QiwiSinapMoney(100m, "643"), QiwiPaymentMethod.RubAccount, null,
                new() { ["account"] = seller })));

        Assert.Equal(900m, (await _qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
    }

    [Fact]
    public async Task The_request_budget_stops_us_before_qiwi_blocks_the_wallet()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        var refused = 0;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 1);
            }
            catch (QiwiRateLimitedException ex) when (ex.Local)
            {
                refused++;
            }
        }

        Assert.Equal(20, refused); // 80 a minute by default, QIWI's limit is 100
        Assert.Null(_qiwi.State.FindWallet(personId)!.HistoryBlockedUntil);

        _qiwi.Clock.Advance(TimeSpan.FromMinutes(1));
        await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 1);
    }

    [Fact]
    public async Task After_a_423_nobody_calls_the_wallet_until_the_block_is_over()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync();
        await _qiwi.Admin.Http.PostAsync($"admin/v1/wallets/{phone.TrimStart('+')}/block", null);

        var remote = await Assert.ThrowsAsync<QiwiRateLimitedException>(() => _qiwi.Api.GetPaymentsAsync(token, personId, rows: 1));
        var local = await Assert.ThrowsAsync<QiwiRateLimitedException>(() => _qiwi.Api.GetProfileAsync(token));

        Assert.False(remote.Local);
        Assert.Equal("request.blocked", remote.ErrorCode);
        Assert.True(local.Local);
        Assert.True(local.RetryAfter >= _qiwi.Clock.GetUtcNow().AddMinutes(4));

        _qiwi.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 1));
    }

    [Fact]
    public async Task The_circuit_breaker_opens_per_wallet()
    {
        var (_, failingId, failing) = await _qiwi.NewWalletAsync();
        var (_, _, healthy) = await _qiwi.NewWalletAsync();
        await SetFaultsAsync(new FaultSettings { ServerErrors = 1000, PathContains = $"/persons/{failingId}/" });

        for (var i = 0; i < 4; i++)
            await Assert.ThrowsAsync<QiwiTransientException>(() => _qiwi.Api.GetAccountsAsync(failing, failingId));
        var open = await Assert.ThrowsAsync<QiwiTransientException>(() => _qiwi.Api.GetAccountsAsync(failing, failingId));

        Assert.Contains("paused", open.Message, StringComparison.Ordinal);
        Assert.NotNull(await _qiwi.Api.GetProfileAsync(healthy)); // another wallet is unaffected
    }

    [Fact]
    public async Task Overlapping_history_pages_repeat_rows_but_cover_each_transfer()
    {
        var (phone, _, token) = await _qiwi.NewWalletAsync();
        for (var i = 0; i < 5; i++) await _qiwi.Admin.InjectIncomingAsync(phone, 10 + i, $"c{i}", date: _qiwi.Clock.GetUtcNow().AddMinutes(-i));
        await SetFaultsAsync(new FaultSettings { DuplicateRowsAcrossPages = true });

        var (transfers, _) = await _qiwi.ReadAllAsync(new WalletCredentials(phone, token),
            new HistoryRange(_qiwi.Clock.GetUtcNow().AddHours(-1), _qiwi.Clock.GetUtcNow()));

        // Each page repeats a row of the previous one; the transaction id is the identity.
        Assert.True(transfers.Count > 5);
        Assert.Equal(5, transfers.Select(t => t.TransactionId).Distinct().Count());
    }
}

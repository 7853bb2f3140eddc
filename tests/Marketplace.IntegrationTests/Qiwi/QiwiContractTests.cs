using System.Net;
using System.Net.Http.Json;
using Marketplace.Rails.Qiwi;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>Our typed client against the emulator over real HTTP: every endpoint of the contract, and every error class.</summary>
public sealed class QiwiContractTests : IAsyncLifetime
{
    private QiwiClientHarness _qiwi = null!;

    // The webhook test registers a loopback URL: allowed explicitly (off outside Development).
    public async ValueTask InitializeAsync() =>
        _qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new() { ["QiwiEmulator:AllowLoopbackWebhooks"] = "true" });

    public async ValueTask DisposeAsync() => await _qiwi.DisposeAsync();

    [Fact]
    public async Task Profile_honours_its_flags()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();

        var full = await _qiwi.Api.GetProfileAsync(token);
        var authOnly = await _qiwi.Api.GetProfileAsync(token, authInfoEnabled: true, contractInfoEnabled: false, userInfoEnabled: false);

        Assert.Equal(personId, full.AuthInfo!.PersonId);
        Assert.Equal(personId, full.ContractInfo!.ContractId);
        Assert.Equal(643, full.UserInfo!.DefaultPayCurrency);
        Assert.Null(authOnly.ContractInfo);
        Assert.Null(authOnly.UserInfo);
    }

    [Fact]
    public async Task Identification_is_masked()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();

        var identification = await _qiwi.Api.GetIdentificationAsync(token, personId);

        Assert.Equal(personId, identification.Id);
        Assert.Contains('*', identification.Passport!);
    }

    [Fact]
    public async Task Balances_offers_new_accounts_and_default()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(balance: 8.74m);

        var accounts = await _qiwi.Api.GetAccountsAsync(token, personId);
        var rub = Assert.Single(accounts.Accounts);
        Assert.Equal(("qw_wallet_rub", 8.74m, 643, true), (rub.Alias, rub.Balance!.Amount, rub.Currency, rub.HasBalance));

        var offers = await _qiwi.Api.GetAccountOffersAsync(token, personId);
        Assert.Contains(offers, o => o.Alias == "qw_wallet_eur" && o.Currency == 978);
        await _qiwi.Api.CreateAccountAsync(token, personId, new QiwiAccountAlias("qw_wallet_eur"));
        await _qiwi.Api.SetDefaultAccountAsync(token, personId, "qw_wallet_eur", new QiwiDefaultAccount(true));

        var after = await _qiwi.Api.GetAccountsAsync(token, personId);
        Assert.True(after.Accounts.Single(a => a.Alias == "qw_wallet_eur").DefaultAccount);
        Assert.DoesNotContain(await _qiwi.Api.GetAccountOffersAsync(token, personId), o => o.Alias == "qw_wallet_eur");
    }

    [Fact]
    public async Task History_pages_until_null_with_every_row_once()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync();
        for (var i = 0; i < 7; i++) await _qiwi.Admin.InjectIncomingAsync(phone, 10 + i, $"c{i}", date: _qiwi.Clock.GetUtcNow().AddMinutes(-i));

        var seen = new List<long>();
        long? nextId = null;
        string? nextDate = null;
        var pages = 0;
        do
        {
            var page = await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 3, nextTxnId: nextId, nextTxnDate: nextDate);
            seen.AddRange(page.Data.Select(t => t.TxnId));
            (nextId, nextDate) = (page.NextTxnId, page.NextTxnDate is { } d ? QiwiDates.Format(d) : null);
            pages++;
        }
        while (nextId is not null);

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(7, seen.Count);
    }

    [Fact]
    public async Task History_filters_by_operation_source_and_an_encoded_date_range()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync(balance: 100m);
        var (other, _, _) = await _qiwi.NewWalletAsync();
        var now = _qiwi.Clock.GetUtcNow();
        await _qiwi.Admin.InjectIncomingAsync(phone, 5m, "rub", date: now.AddHours(-1));
        await _qiwi.Admin.InjectIncomingAsync(phone, 6m, "usd", currency: 840, date: now.AddHours(-1));
        await _qiwi.Admin.InjectIncomingAsync(phone, 7m, "old", date: now.AddDays(-3));
        await _qiwi.Payments.TransferToWalletAsync(token, other, 10m, "out");

        var window = await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 50, operation: "IN",
            startDate: QiwiDates.Format(now.AddDays(-1)), endDate: QiwiDates.Format(now.AddMinutes(1)));
        var usd = await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 50, sources: QiwiQuery.Sources(["QW_USD"]));
        var outgoing = await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 50, operation: "OUT");

        Assert.Equal(["rub", "usd"], window.Data.Select(t => t.Comment).Order());
        Assert.Equal("usd", Assert.Single(usd.Data).Comment);
        Assert.Equal(840, usd.Data[0].Sum!.Currency);
        var sent = Assert.Single(outgoing.Data);
        Assert.Equal(("OUT", 99, other), (sent.Type, sent.Provider!.Id, sent.Account));
    }

    [Fact]
    public async Task History_refuses_bad_filters_with_qiwi_validation_errors()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        var now = _qiwi.Clock.GetUtcNow();

        var tooMany = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetPaymentsAsync(token, personId, rows: 51));
        var tooLong = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetPaymentsAsync(token, personId, rows: 10,
            startDate: QiwiDates.Format(now.AddDays(-91)), endDate: QiwiDates.Format(now)));
        var mixedOffsets = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetPaymentsAsync(token, personId, rows: 10,
            startDate: now.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), endDate: QiwiDates.Format(now)));

        Assert.Equal("validation.error", tooMany.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("offset", mixedOffsets.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unencoded_plus_in_a_date_is_refused_as_qiwi_did()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        using var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var raw = await http.GetAsync($"payment-history/v2/persons/{personId}/payments?rows=5&startDate=2026-01-01T00:00:00+03:00&endDate=2026-01-02T00:00:00+03:00");
        var encoded = await http.GetAsync($"payment-history/v2/persons/{personId}/payments?rows=5&startDate=2026-01-01T00%3A00%3A00%2B03%3A00&endDate=2026-01-02T00%3A00%3A00%2B03%3A00");

        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
        Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
    }

    [Fact]
    public async Task A_transaction_reads_by_id_on_v1_and_v2_and_totals_add_up()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync(balance: 500m);
        var (other, _, _) = await _qiwi.NewWalletAsync();
        var txnId = await _qiwi.Admin.InjectIncomingAsync(phone, 70m, "in");
        await _qiwi.Payments.TransferToWalletAsync(token, other, 30.5m, "out");

        var v2 = await _qiwi.Api.GetTransactionAsync(token, txnId);
        var v1 = await _qiwi.Api.GetTransactionV1Async(token, txnId, "IN");
        var now = _qiwi.Clock.GetUtcNow();
        var totals = await _qiwi.Api.GetTotalsAsync(token, personId, QiwiDates.Format(now.AddDays(-1)), QiwiDates.Format(now.AddMinutes(1)));

        Assert.Equal(70m, v2.Sum!.Amount);
        Assert.Equal(TimeSpan.FromHours(3), v2.Date.Offset);
        Assert.Equal(v2.TxnId, v1.TxnId);
        Assert.Equal(70m, Assert.Single(totals.IncomingTotal).Amount);
        Assert.Equal(30.5m, Assert.Single(totals.OutgoingTotal).Amount);
        await Assert.ThrowsAsync<QiwiNotFoundException>(() => _qiwi.Api.GetTransactionAsync(token, 1));
    }

    [Fact]
    public async Task A_wallet_transfer_moves_money_once_per_client_id()
    {
        var (buyer, buyerId, token) = await _qiwi.NewWalletAsync(balance: 1000m);
        var (seller, sellerId, sellerToken) = await _qiwi.NewWalletAsync();

        var first = await _qiwi.Payments.TransferToWalletAsync(token, seller, 100.50m, "Комментарий", clientId: "1700000000001");
        var repeat = await _qiwi.Payments.TransferToWalletAsync(token, seller, 100.50m, "Комментарий", clientId: "1700000000001");

        Assert.Equal(first.Transaction.Id, repeat.Transaction.Id);
        Assert.Equal(("Accepted", "99", "account_643", "643"), (first.Transaction.State.Code, first.Terms, first.Source, first.Sum.Currency));
        Assert.Equal(899.50m, (await _qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
        var received = Assert.Single((await _qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 10)).Data);
        Assert.Equal((100.50m, "Комментарий", buyer, 7, 99), (received.Sum!.Amount, received.Comment, received.Account, received.Provider!.Id, received.Source!.Id));
    }

    [Fact]
    public async Task Insufficient_funds_is_QWPRC_220_and_final()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync(balance: 10m);
        var (seller, _, _) = await _qiwi.NewWalletAsync();

        var error = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Payments.TransferToWalletAsync(token, seller, 50m, null));

        Assert.Equal("QWPRC-220", error.ErrorCode);
        Assert.Equal(220, error.PaymentErrorCode);
    }

    [Fact]
    public async Task Card_payments_charge_the_tariff_commission_and_mask_the_card()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(balance: 1000m);
        const string card = "4111111111111111"; // Luhn-valid Visa

        var commission = await _qiwi.Api.GetOnlineCommissionAsync(token, 1963, new QiwiCommissionRequest(card, QiwiPaymentMethod.RubAccount,
            new QiwiPurchaseTotals(new QiwiSinapMoney(100m, "643"))));
        var form = await _qiwi.Api.GetProviderFormAsync(1963);
        var paid = await _qiwi.Payments.PayAsync(token, 1963, new() { ["account"] = card }, 100m, null);

        Assert.Equal(52m, commission.QwCommission.Amount);
        Assert.Equal(152m, commission.WithdrawSum.Amount);
        Assert.Equal(100m, commission.EnrollmentSum.Amount);
        Assert.Equal((0.02m, 50m), (form.Content.Terms.Commission.Ranges[0].Rate!.Value, form.Content.Terms.Commission.Ranges[0].Fixed!.Value));
        Assert.Equal("4111********1111", paid.Fields!["account"]);
        Assert.Equal(848m, (await _qiwi.Api.GetAccountsAsync(token, personId)).Accounts[0].Balance!.Amount);
    }

    [Fact]
    public async Task Phones_and_cards_are_detected()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync();

        var mobile = await _qiwi.Site.DetectMobileAsync(new() { ["phone"] = "79265238341" });
        var unknownMobile = await _qiwi.Site.DetectMobileAsync(new() { ["phone"] = "123" });
        var card = await _qiwi.Site.DetectCardAsync(new() { ["cardNumber"] = "4111111111111111" });
        var resolved = await _qiwi.Api.ResolveMobileProviderAsync(token, "79265238341");

        Assert.Equal(3, mobile.ProviderId);
        Assert.Null(unknownMobile.ProviderId);
        Assert.Equal("2", unknownMobile.Code.Value);
        Assert.Equal(1963, card.ProviderId);
        Assert.Equal(3, Assert.Single(resolved.MobileOperatorProviderList).Id);
    }

    [Fact]
    public async Task Phone_top_up_accepts_the_number_with_or_without_the_leading_7()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(balance: 1000m);

        var international = await _qiwi.Api.ResolveMobileProviderAsync(token, "79001234567");
        var national = await _qiwi.Api.ResolveMobileProviderAsync(token, "9001234567");
        var siteInternational = await _qiwi.Site.DetectMobileAsync(new() { ["phone"] = "79001234567" });
        var siteNational = await _qiwi.Site.DetectMobileAsync(new() { ["phone"] = "9001234567" });
        var provider = Assert.Single(international.MobileOperatorProviderList).Id;
        var paidNational = await _qiwi.Payments.PayAsync(token, provider, new() { ["account"] = "9001234567" }, 10m, null);
        var paidInternational = await _qiwi.Payments.PayAsync(token, provider, new() { ["account"] = "79001234567" }, 10m, null);
        var paidFormatted = await _qiwi.Payments.PayAsync(token, provider, new() { ["account"] = "+7 (900) 123-45-67" }, 10m, null);

        Assert.Equal(42, provider); // Tele2, by the emulator's prefix table
        Assert.Equal(provider, Assert.Single(national.MobileOperatorProviderList).Id);
        Assert.Equal((provider, provider), (siteInternational.ProviderId, siteNational.ProviderId));
        // Answered in the documented form: the 10-digit number without the leading 7.
        Assert.All(new[] { paidNational, paidInternational, paidFormatted }, paid => Assert.Equal("9001234567", paid.Fields!["account"]));
        Assert.Equal(970m, (await _qiwi.Api.GetAccountsAsync(token, personId)).Accounts[0].Balance!.Amount);
        await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Payments.PayAsync(token, provider, new() { ["account"] = "19001234567" }, 10m, null));
    }

    [Fact]
    public async Task Webhooks_register_read_rotate_test_and_delete()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync();

        var hook = await _qiwi.Api.RegisterWebhookAsync(token, 1, "http://127.0.0.1:9/hook", 2);
        var active = await _qiwi.Api.GetActiveWebhookAsync(token);
        var key = await _qiwi.Api.GetWebhookKeyAsync(token, hook.HookId);
        var rotated = await _qiwi.Api.RotateWebhookKeyAsync(token, hook.HookId);
        var second = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.RegisterWebhookAsync(token, 1, "http://127.0.0.1:9/other", 0));
        var test = await _qiwi.Api.SendTestWebhookAsync(token);
        var deleted = await _qiwi.Api.DeleteWebhookAsync(token, hook.HookId);

        Assert.Equal(("WEB", "BOTH", "http://127.0.0.1:9/hook"), (hook.HookType, hook.TxnType, hook.HookParameters.Url));
        Assert.Equal(hook.HookId, active.HookId);
        Assert.Equal(32, Convert.FromBase64String(key.Key).Length);
        Assert.NotEqual(key.Key, rotated.Key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("Webhook sent", test.Response);
        Assert.Equal("Hook deleted", deleted.Response);
        await Assert.ThrowsAsync<QiwiNotFoundException>(() => _qiwi.Api.GetActiveWebhookAsync(token));
    }

    [Fact]
    public async Task A_bad_or_revoked_token_is_401_and_a_missing_group_is_403()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync(0m, "ProfileRead");

        await Assert.ThrowsAsync<QiwiUnauthorizedException>(() => _qiwi.Api.GetProfileAsync("not-a-token"));
        var forbidden = await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetPaymentsAsync(token, personId, rows: 5));
        await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetAccountsAsync(token, personId));
        await _qiwi.Admin.IssueTokenAsync(phone); // one active token per wallet: the first is now revoked
        await Assert.ThrowsAsync<QiwiUnauthorizedException>(() => _qiwi.Api.GetProfileAsync(token));

        Assert.Equal("auth.forbidden", forbidden.ErrorCode);
    }

    [Fact]
    public async Task A_token_expires_after_180_days()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync();
        await _qiwi.Api.GetProfileAsync(token);

        _qiwi.Clock.Advance(TimeSpan.FromDays(180));

        await Assert.ThrowsAsync<QiwiUnauthorizedException>(() => _qiwi.Api.GetProfileAsync(token));
    }

    [Fact]
    public async Task The_emulator_blocks_a_wallet_for_five_minutes_after_100_history_requests_a_minute()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        using var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var url = $"payment-history/v2/persons/{personId}/payments?rows=1";

        for (var i = 0; i < 100; i++) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
        var blocked = await http.GetAsync(url);
        _qiwi.Clock.Advance(TimeSpan.FromMinutes(4));
        var stillBlocked = await http.GetAsync(url);
        _qiwi.Clock.Advance(TimeSpan.FromMinutes(1));
        var open = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Locked, blocked.StatusCode);
        Assert.Equal("request.blocked", (await blocked.Content.ReadFromJsonAsync<QiwiEdgeError>())!.ErrorCode);
        Assert.Equal(HttpStatusCode.Locked, stillBlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task A_401_has_an_empty_body_and_a_403_the_long_error_shape()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(0m, "ProfileRead");
        using var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };

        using var anonymous = await http.GetAsync("person-profile/v1/profile/current");
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var forbidden = await http.GetAsync($"funding-sources/v2/persons/{personId}/accounts");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(await anonymous.Content.ReadAsStringAsync());
        var error = (await forbidden.Content.ReadFromJsonAsync<QiwiEdgeError>())!;
        Assert.Equal(("funding-sources", "auth.forbidden", "Access denied"), (error.ServiceName, error.ErrorCode, error.UserMessage));
    }

    [Theory]
    [InlineData("POST", "accounts", "{bad")]
    [InlineData("POST", "accounts", "[1,2]")]
    [InlineData("PATCH", "accounts/qw_wallet_usd", "{\"defaultAccount\":\"yes\"}")]
    public async Task A_malformed_funding_source_body_is_qiwis_validation_error_not_a_500(string method, string path, string body)
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        using var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"funding-sources/v2/persons/{personId}/{path}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_non_json_accept_header_is_a_400()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync();
        using var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        http.DefaultRequestHeaders.Accept.ParseAdd("text/xml");

        var response = await http.GetAsync("person-profile/v1/profile/current");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation.error", (await response.Content.ReadFromJsonAsync<QiwiEdgeError>())!.ErrorCode);
    }
}

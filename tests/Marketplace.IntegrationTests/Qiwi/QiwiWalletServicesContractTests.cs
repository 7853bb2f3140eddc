using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Domain.Common;
using Marketplace.Rails.Qiwi;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>
/// The wallet's secondary services through our typed client against the emulator over real HTTP:
/// limits, restrictions, nickname and transfers by it, cross rates, the provider catalogue, receipts,
/// virtual cards and invoices; each with its permission group and QIWI's error shapes for bad input.
/// </summary>
public sealed class QiwiWalletServicesContractTests : IAsyncLifetime
{
    private QiwiClientHarness _qiwi = null!;

    public async ValueTask InitializeAsync() => _qiwi = await QiwiClientHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _qiwi.DisposeAsync();

    [Fact]
    public async Task Limits_report_this_months_spending_per_requested_type()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(balance: 1000m);
        var (other, _, _) = await _qiwi.NewWalletAsync();
        await _qiwi.Payments.TransferToWalletAsync(token, other, 100m, "p2p");
        await _qiwi.Payments.PayAsync(token, 1963, new() { ["account"] = "4111111111111111" }, 100m, null); // + 52 commission

        var limits = await _qiwi.Api.GetLimitsAsync(token, personId, QiwiQuery.LimitTypes("TURNOVER", "PAYMENTS_P2P", "REFILL", "PAYMENTS_PROVIDER_PAYOUT"));

        var ru = limits.Limits["RU"];
        Assert.Equal(["TURNOVER", "PAYMENTS_P2P", "REFILL", "PAYMENTS_PROVIDER_PAYOUT"], ru.Select(l => l.Type));
        var turnover = ru[0];
        Assert.Equal(("RUB", 252m, 1_000_000m, 999_748m), (turnover.Currency, turnover.Spent, turnover.Max, turnover.Rest));
        Assert.Equal(100m, ru[1].Spent);
        Assert.Equal(748m, ru[2].Spent); // REFILL: the balance against the maximum balance
        Assert.Equal(152m, ru[3].Spent);
        var from = DateTimeOffset.Parse(turnover.Interval!.DateFrom!, System.Globalization.CultureInfo.InvariantCulture);
        var till = DateTimeOffset.Parse(turnover.Interval.DateTill!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((1, TimeSpan.FromHours(3), from.AddMonths(1)), (from.Day, from.Offset, till));
    }

    [Fact]
    public async Task Limits_need_a_known_type_the_profile_group_and_the_own_wallet()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        var (_, otherId, historyOnly) = await _qiwi.NewWalletAsync(0m, "HistoryRead");

        var none = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetLimitsAsync(token, personId, QiwiQuery.LimitTypes()));
        var unknown = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetLimitsAsync(token, personId, QiwiQuery.LimitTypes("EVERYTHING")));
        var foreign = await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetLimitsAsync(token, otherId, QiwiQuery.LimitTypes("TURNOVER")));
        var noGroup = await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetLimitsAsync(historyOnly, otherId, QiwiQuery.LimitTypes("TURNOVER")));
        // Some clients repeat the name instead of indexing it.
        using var http = Raw(token);
        var repeated = await http.GetFromJsonAsync<JsonElement>($"qw-limits/v1/persons/{personId}/actual-limits?types=REFILL&types=WITHDRAW_CASH");

        Assert.Equal(("validation.error", "validation.error"), (none.ErrorCode, unknown.ErrorCode));
        Assert.Equal(("auth.forbidden", "auth.forbidden"), (foreign.ErrorCode, noGroup.ErrorCode));
        Assert.Equal(2, repeated.GetProperty("limits").GetProperty("RU").GetArrayLength());
    }

    [Fact]
    public async Task An_outgoing_restriction_is_reported_and_refuses_payments()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(balance: 100m);
        var (other, _, _) = await _qiwi.NewWalletAsync();
        Assert.Empty(await _qiwi.Api.GetRestrictionsAsync(token, personId));

        (await _qiwi.Admin.Http.PutAsJsonAsync($"admin/v1/wallets/{personId}/restrictions", new { outgoingPayments = true })).EnsureSuccessStatusCode();
        var restriction = Assert.Single(await _qiwi.Api.GetRestrictionsAsync(token, personId));
        var refused = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Payments.TransferToWalletAsync(token, other, 10m, null));

        Assert.Equal("OUTGOING_PAYMENTS", restriction.RestrictionCode);
        Assert.Equal("QWPRC-319", refused.ErrorCode);
        Assert.Equal(100m, (await _qiwi.Api.GetAccountsAsync(token, personId)).Accounts[0].Balance!.Amount);
        var (_, _, balanceOnly) = await _qiwi.NewWalletAsync(0m, "BalanceRead");
        await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetRestrictionsAsync(balanceOnly, personId));
    }

    [Fact]
    public async Task A_transfer_by_nickname_reaches_the_wallet_that_owns_it()
    {
        var (_, buyerId, buyerToken) = await _qiwi.NewWalletAsync(balance: 100m);
        var (seller, sellerId, sellerToken) = await _qiwi.NewWalletAsync();

        var nickname = await _qiwi.Api.GetNicknameAsync(sellerToken, sellerId);
        var paid = await _qiwi.Payments.TransferToNicknameAsync(buyerToken, nickname.Nickname!.ToLowerInvariant(), 25m, "by nick");
        var unknown = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Payments.TransferToNicknameAsync(buyerToken, "QWNOBODY1", 1m, null));
        var byPhone = await _qiwi.Payments.PayAsync(buyerToken, 99999, new() { ["account"] = seller.TrimStart('+'), ["accountType"] = "phone" }, 5m, null);

        Assert.True(nickname.CanUse);
        Assert.Equal(("99999", nickname.Nickname), (paid.Terms, paid.Fields!["account"])); // the payer sees the nickname, not the number
        Assert.Equal("QWPRC-5", unknown.ErrorCode);
        Assert.Equal(seller.TrimStart('+'), byPhone.Fields!["account"]);
        var received = (await _qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 10)).Data;
        Assert.Equal([5m, 25m], received.Select(t => t.Sum!.Amount).Order());
        Assert.All(received, t => Assert.Equal(("IN", 7, 99999), (t.Type, t.Provider!.Id, t.Source!.Id)));
        Assert.Equal(70m, (await _qiwi.Api.GetAccountsAsync(buyerToken, buyerId)).Accounts[0].Balance!.Amount);
    }

    [Fact]
    public async Task The_nickname_form_pays_by_nickname_and_keeps_the_locked_fields()
    {
        var (payer, payerId, payerToken) = await _qiwi.NewWalletAsync(balance: 50m);
        var (_, sellerId, sellerToken) = await _qiwi.NewWalletAsync();
        var nickname = (await _qiwi.Api.GetNicknameAsync(sellerToken, sellerId)).Nickname!;
        var link = _qiwi.Links.BuildNicknameLink(nickname, new Money(12.30m, "RUB"));
        using var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };
        var path = link.PathAndQuery.TrimStart('/');

        var page = await http.GetStringAsync(path);
        using var posted = await http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["account"] = "QWSOMEONEELSE", ["sum"] = "1.00", ["payer"] = payer, ["token"] = payerToken, ["clientId"] = "1700000000123",
        }));
        var result = await posted.Content.ReadAsStringAsync();

        Assert.Contains("extra%5B%27accountType%27%5D=nickname", link.Query, StringComparison.Ordinal);
        Assert.Contains("by nickname", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"comment\"", page, StringComparison.Ordinal); // QIWI took a comment on provider 99 only
        Assert.Contains("Paid.", result, StringComparison.Ordinal);
        Assert.Equal(12.30m, Assert.Single((await _qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 5)).Data).Sum!.Amount);
        Assert.Equal(37.70m, (await _qiwi.Api.GetAccountsAsync(payerToken, payerId)).Accounts[0].Balance!.Amount);
    }

    [Fact]
    public async Task Cross_rates_list_every_pair_with_string_codes()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync(0m, "ProfileRead");
        using var http = Raw(token);

        var rates = await _qiwi.Api.GetCrossRatesAsync(token);
        var raw = await http.GetFromJsonAsync<JsonElement>("sinap/crossRates");
        using var anonymous = await new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress }.GetAsync("sinap/crossRates");

        var usdInRub = rates.Result.Single(r => r.From == 643 && r.To == 840);
        Assert.Equal(90m, usdInRub.Rate); // 90 rubles buy one dollar
        Assert.Equal(12, rates.Result.Count); // 4 currencies, every ordered pair
        Assert.Equal(JsonValueKind.String, raw.GetProperty("result")[0].GetProperty("from").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_provider_catalogue_describes_known_providers_and_404s_the_rest()
    {
        var (_, _, token) = await _qiwi.NewWalletAsync(0m, "ProfileRead");

        var wallet = await _qiwi.Api.GetProviderAsync(token, 99);
        var mir = await _qiwi.Api.GetProviderAsync(token, 31652);
        var missing = await Assert.ThrowsAsync<QiwiNotFoundException>(() => _qiwi.Api.GetProviderAsync(token, 424242));
        using var http = Raw(token);
        using var notANumber = await http.GetAsync("providers-catalog/v2/providers/abc");

        Assert.Equal(("PROVIDER", 99, true), (wallet.Type, wallet.Id, wallet.HasPaymentForm));
        Assert.Equal("MIR", mir.ShortName);
        Assert.Equal("provider.not.found", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Equal("validation.error", (await notANumber.Content.ReadFromJsonAsync<QiwiEdgeError>())!.ErrorCode);
    }

    [Theory]
    [InlineData("PDF", "application/pdf")]
    [InlineData("JPEG", "image/jpeg")]
    public async Task A_receipt_file_is_a_real_pdf_or_jpeg(string format, string contentType)
    {
        var (phone, _, token) = await _qiwi.NewWalletAsync();
        var txnId = await _qiwi.Admin.InjectIncomingAsync(phone, 42.5m, "receipt");

        using var content = await _qiwi.Api.GetChequeFileAsync(token, txnId, "IN", format);
        var bytes = await content.ReadAsByteArrayAsync();

        Assert.Equal(contentType, content.Headers.ContentType!.MediaType);
        if (format == "PDF")
        {
            var text = Encoding.ASCII.GetString(bytes);
            Assert.StartsWith("%PDF-1.4", text, StringComparison.Ordinal);
            Assert.EndsWith("%%EOF\n", text, StringComparison.Ordinal);
            Assert.Contains($"Transaction: {txnId}", text, StringComparison.Ordinal);
            Assert.Contains("42.50", text, StringComparison.Ordinal);
            // The cross-reference table points at each object: a reader can open the file.
            var xref = int.Parse(text[(text.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith("xref", text[xref..], StringComparison.Ordinal);
            Assert.StartsWith("1 0 obj", text[int.Parse(text[(xref + 29)..(xref + 39)], System.Globalization.CultureInfo.InvariantCulture)..], StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0], bytes[..4]); // SOI, JFIF
            Assert.Equal([0xFF, 0xD9], bytes[^2..]); // EOI
            var sof = bytes.AsSpan().IndexOf(new byte[] { 0xFF, 0xC0 });
            Assert.Equal((240, 320), ((bytes[sof + 5] << 8) | bytes[sof + 6], (bytes[sof + 7] << 8) | bytes[sof + 8]));
        }
    }

    [Fact]
    public async Task Receipts_need_the_history_group_a_settled_own_transaction_and_a_known_format()
    {
        var (phone, _, token) = await _qiwi.NewWalletAsync();
        var (_, _, otherToken) = await _qiwi.NewWalletAsync();
        var (_, _, profileOnly) = await _qiwi.NewWalletAsync(0m, "ProfileRead");
        var settled = await _qiwi.Admin.InjectIncomingAsync(phone, 10m, "ok");
        var waiting = await _qiwi.Admin.InjectIncomingAsync(phone, 10m, "wait", status: "WAITING");

        var notMine = await Assert.ThrowsAsync<QiwiNotFoundException>(() => _qiwi.Api.GetChequeFileAsync(otherToken, settled, "IN", "PDF"));
        var wrongType = await Assert.ThrowsAsync<QiwiNotFoundException>(() => _qiwi.Api.GetChequeFileAsync(token, settled, "OUT", "PDF"));
        var notReady = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetChequeFileAsync(token, waiting, "IN", "PDF"));
        var badFormat = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetChequeFileAsync(token, settled, "IN", "GIF"));
        await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetChequeFileAsync(profileOnly, settled, "IN", "PDF"));
        using var http = Raw(token);
        using var badId = await http.GetAsync("payment-history/v1/transactions/12ab/cheque/file?type=IN&format=PDF");

        Assert.Equal("transaction.not.found", notMine.ErrorCode);
        Assert.Equal("transaction.not.found", wrongType.ErrorCode);
        Assert.Equal("cheque.not.available", notReady.ErrorCode);
        Assert.Equal("validation.error", badFormat.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        var row = (await _qiwi.Api.GetPaymentsAsync(token, long.Parse(phone.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture), rows: 5)).Data;
        Assert.Equal(2, row.Count);
    }

    [Fact]
    public async Task A_receipt_is_sent_to_a_valid_email_and_recorded()
    {
        var (phone, personId, token) = await _qiwi.NewWalletAsync();
        var txnId = await _qiwi.Admin.InjectIncomingAsync(phone, 10m, "mail");
        using var http = Raw(token);

        await _qiwi.Api.SendChequeAsync(token, txnId, "IN", new QiwiChequeEmail("buyer@example.com"));
        using var v2 = await http.PostAsJsonAsync($"payment-history/v2/transactions/{txnId}/cheque/send?type=IN", new { email = "second@example.org" });
        var invalid = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.SendChequeAsync(token, txnId, "IN", new QiwiChequeEmail("not an email")));
        using var noBody = await http.PostAsync($"payment-history/v1/transactions/{txnId}/cheque/send?type=IN", new StringContent("{oops", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, v2.StatusCode);
        Assert.Equal("validation.error", invalid.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        var sent = await _qiwi.Admin.Http.GetFromJsonAsync<JsonElement>($"admin/v1/wallets/{personId}/receipts");
        Assert.Equal(["buyer@example.com", "second@example.org"], sent.EnumerateArray().Select(r => r.GetProperty("email").GetString()));
        Assert.All(sent.EnumerateArray(), r => Assert.Equal(txnId, r.GetProperty("txnId").GetInt64()));
    }

    [Fact]
    public async Task Virtual_cards_are_listed_with_the_card_groups_only()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        var (_, _, withoutCards) = await _qiwi.NewWalletAsync(0m, "ProfileRead", "BalanceRead", "HistoryRead", "PaymentsNoSms");
        (await _qiwi.Admin.Http.PostAsJsonAsync($"admin/v1/wallets/{personId}/cards", new { alias = "Shopping", master = true })).EnsureSuccessStatusCode();
        (await _qiwi.Admin.Http.PostAsJsonAsync($"admin/v1/wallets/{personId}/cards", new { alias = "Plain", master = false })).EnsureSuccessStatusCode();

        var all = await _qiwi.Api.GetCardsAsync(token);
        var master = await _qiwi.Api.GetCardsAsync(token, "qvc-master");
        var forbidden = await Assert.ThrowsAsync<QiwiForbiddenException>(() => _qiwi.Api.GetCardsAsync(withoutCards));
        var badAlias = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.GetCardsAsync(token, "qvc-other"));

        Assert.Equal(["Plain", "Shopping"], all.Select(c => c.Qvx.CardAlias).Order());
        var card = Assert.Single(master).Qvx;
        Assert.Equal(("Shopping", "ACTIVE", "VIRTUAL"), (card.CardAlias, card.Status, card.CardType));
        Assert.Matches(@"^\*{4}\d{4}$", card.MaskedPan!);
        Assert.Equal(card.CardExpireYear, card.CardExpire!.Value.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("auth.forbidden", forbidden.ErrorCode);
        Assert.Equal("validation.error", badAlias.ErrorCode);
    }

    [Fact]
    public async Task Invoices_are_listed_paid_once_and_rejected()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync(balance: 100m);
        var first = await IssueBillAsync(personId, 60m, "order 1");
        var second = await IssueBillAsync(personId, 70m, "order 2");
        var third = await IssueBillAsync(personId, 5m, "order 3");

        var open = await _qiwi.Api.GetBillsAsync(token);
        var paid = await _qiwi.Api.PayBillAsync(token, new QiwiBillPayRequest(first.ToString(System.Globalization.CultureInfo.InvariantCulture), "643"));
        var again = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.PayBillAsync(token, new QiwiBillPayRequest(first.ToString(System.Globalization.CultureInfo.InvariantCulture), "643")));
        var broke = await Assert.ThrowsAsync<QiwiValidationException>(() => _qiwi.Api.PayBillAsync(token, new QiwiBillPayRequest(second.ToString(System.Globalization.CultureInfo.InvariantCulture), "643")));
        await _qiwi.Api.RejectBillAsync(token, new QiwiBillRejectRequest(third));
        var unknown = await Assert.ThrowsAsync<QiwiNotFoundException>(() => _qiwi.Api.RejectBillAsync(token, new QiwiBillRejectRequest(third)));
        var left = await _qiwi.Api.GetBillsAsync(token, rows: 10);

        Assert.Equal([third, second, first], open.Bills.Select(b => b.Id)); // newest first
        var bill = open.Bills[2];
        Assert.Equal(("READY_FOR_PAY", "MERCHANT", 60m, 643, "order 1"), (bill.Status, bill.Type, bill.Sum.Amount, bill.Sum.Currency, bill.Comment));
        Assert.True(bill.ExpirationDatetime > bill.CreationDatetime);
        Assert.True(paid.Paid);
        Assert.Equal("internal.invoicing.error", again.ErrorCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broke.StatusCode); // 40 left, 70 asked
        Assert.Equal("invoice.not.found", unknown.ErrorCode);
        Assert.Equal([second], left.Bills.Select(b => b.Id));
        Assert.Equal(40m, (await _qiwi.Api.GetAccountsAsync(token, personId)).Accounts[0].Balance!.Amount);
        var row = Assert.Single((await _qiwi.Api.GetPaymentsAsync(token, personId, rows: 5, operation: "OUT")).Data);
        Assert.Equal((60m, "order 1", 480706), (row.Sum!.Amount, row.Comment, row.Provider!.Id));
    }

    [Fact]
    public async Task Invoice_search_pages_with_next_id_and_tolerates_a_missing_status()
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await IssueBillAsync(personId, 1m + i, $"b{i}"));
            _qiwi.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page1 = await _qiwi.Api.GetBillsAsync(token, rows: 2);
        var page2 = await _qiwi.Api.GetBillsAsync(token, rows: 2, nextId: page1.Bills[^1].Id - 1, nextCreationDatetime: page1.Bills[^1].CreationDatetime);
        using var http = Raw(token);
        var noStatus = await http.GetFromJsonAsync<JsonElement>("checkout-api/api/bill/search");
        using var badStatus = await http.GetAsync("checkout-api/api/bill/search?statuses=PAID");
        using var badRows = await http.GetAsync("checkout-api/api/bill/search?rows=51");

        Assert.Equal([ids[2], ids[1]], page1.Bills.Select(b => b.Id));
        Assert.Equal([ids[0]], page2.Bills.Select(b => b.Id));
        Assert.Equal(3, noStatus.GetProperty("bills").GetArrayLength());
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badStatus.StatusCode, badRows.StatusCode));
    }

    /// <summary>Malformed input to each new endpoint answers QIWI's error shape (a 4xx with a JSON body), never a 500.</summary>
    [Theory]
    [InlineData("GET", "qw-limits/v1/persons/abc/actual-limits?types[0]=TURNOVER", null)]
    [InlineData("GET", "qw-limits/v1/persons/{me}/actual-limits?types[x]=TURNOVER", null)]
    [InlineData("GET", "person-profile/v1/persons/99999999999999999999/status/restrictions", null)]
    [InlineData("GET", "qw-nicknames/v1/persons/+{me}x/nickname", null)]
    [InlineData("GET", "payment-history/v1/transactions/1/cheque/file?type=SIDEWAYS&format=PDF", null)]
    [InlineData("POST", "payment-history/v1/transactions/99999999999999999999/cheque/send?type=IN", "{\"email\":\"a@b.cd\"}")]
    [InlineData("POST", "payment-history/v1/transactions/1/cheque/send?type=IN", "[1,2]")]
    [InlineData("GET", "cards/v1/cards?vas-alias=%00", null)]
    [InlineData("GET", "checkout-api/api/bill/search?min_creation_datetime=soon", null)]
    [InlineData("GET", "checkout-api/api/bill/search?next_id=-1", null)]
    [InlineData("POST", "checkout-api/invoice/pay/wallet", "{\"invoice_uid\":{},\"currency\":\"643\"}")]
    [InlineData("POST", "checkout-api/invoice/pay/wallet", "{\"invoice_uid\":\"1\",\"currency\":\"840\"}")]
    [InlineData("POST", "checkout-api/invoice/pay/wallet", "not json")]
    [InlineData("POST", "checkout-api/api/bill/reject", "{\"id\":1e400}")]
    [InlineData("POST", "sinap/api/v2/terms/99999/payments", "{\"id\":\"1\",\"sum\":{\"amount\":1,\"currency\":\"643\"},\"paymentMethod\":{\"type\":\"Account\",\"accountId\":\"643\"},\"fields\":{\"account\":\"X\",\"accountType\":\"email\"}}")]
    public async Task Malformed_input_to_a_new_endpoint_is_a_qiwi_error_not_a_500(string method, string path, string? body)
    {
        var (_, personId, token) = await _qiwi.NewWalletAsync();
        using var http = Raw(token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{me}", personId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.InRange((int)response.StatusCode, 400, 499);
        using var error = JsonDocument.Parse(text);
        Assert.True(error.RootElement.TryGetProperty("errorCode", out _) || error.RootElement.TryGetProperty("code", out _), text);
    }

    private HttpClient Raw(string token)
    {
        var http = new HttpClient { BaseAddress = _qiwi.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return http;
    }

    private async Task<long> IssueBillAsync(long personId, decimal amount, string comment)
    {
        var response = await _qiwi.Admin.Http.PostAsJsonAsync($"admin/v1/wallets/{personId}/bills", new { amount, comment });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}

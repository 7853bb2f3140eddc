using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// QIWI's payment form deep link (contract §8), so an order's payUrl opens a page where a buyer
/// pays from an emulator wallet in a browser. Locked fields (blocked[n]) cannot be changed.
/// Provider 99 is a transfer to a wallet number with a comment; provider 99999 a transfer by
/// nickname (extra['accountType'] = nickname) or wallet number (phone), without a comment, as documented.
/// </summary>
internal static class PaymentFormEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var provider in new[] { 99, 99999 }) MapForm(routes, provider);
    }

    private static void MapForm(IEndpointRouteBuilder routes, int provider)
    {
        routes.MapGet($"/payment/form/{provider}", (HttpRequest request) =>
            Page(provider, FormFields.From(request.Query), message: null));

        routes.MapPost($"/payment/form/{provider}", async (HttpRequest request, EmulatorState state) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            // Locked fields come from the link itself (the form posts back to it), whatever the page sent.
            var fields = FormFields.From(form).LockedTo(FormFields.From(request.Query));
            var payer = form["payer"].ToString().Trim().TrimStart('+');
            var token = form["token"].ToString().Trim();
            if (!long.TryParse(payer, NumberStyles.None, CultureInfo.InvariantCulture, out var payerId) || state.FindWallet(payerId) is null)
                return Page(provider, fields, "Unknown payer wallet.");
            var auth = state.Authenticate(token, PermissionGroup.PaymentsNoSms);
            if (auth.Wallet?.PersonId != payerId) return Page(provider, fields, "The token is not valid for this wallet or cannot make payments.");
            if (!decimal.TryParse(fields.Amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                return Page(provider, fields, "The amount is invalid.");
            if (provider == 99999 && fields.AccountType is not ("" or "nickname" or "phone"))
                return Page(provider, fields, "extra['accountType'] must be nickname or phone.");

            var clientId = form["clientId"].ToString();
            var result = provider == 99999
                ? state.Pay(auth.Wallet, clientId, 99999, fields.Account, amount, null, fields.AccountType.Length == 0 ? null : fields.AccountType)
                : state.Pay(auth.Wallet, clientId, 99, fields.Account, amount, fields.Comment.Length == 0 ? null : fields.Comment);
            return result.Payment is { } payment
                ? Page(provider, fields, $"Paid. Transaction {payment.TxnId}.", done: true)
                : Page(provider, fields, $"Payment refused: {result.Message} (QWPRC-{result.ErrorCode}).");
        }).DisableAntiforgery();
    }

    private static IResult Page(int provider, FormFields f, string? message, bool done = false)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        string Input(string name, string label, string value) =>
            $"<label>{label}<input name=\"{name}\" value=\"{E(value)}\"{(f.Blocked.Contains(name) ? " readonly" : "")}></label>";
        // A fresh client id per rendering: submitting the same page twice cannot pay twice.
        var clientId = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + RandomNumberGenerator.GetInt32(1000)).ToString(CultureInfo.InvariantCulture);
        var html = $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>QIWI Wallet emulator: transfer</title>
            <style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto}label{display:block;margin:.6rem 0}input{display:block;width:100%;padding:.3rem}input[readonly]{background:#eee}</style></head>
            <body><h1>{{(provider == 99999 ? "Transfer to a QIWI wallet by nickname" : "Transfer to a QIWI wallet")}}</h1>
            {{(message is null ? "" : $"<p role=\"status\"><strong>{E(message)}</strong></p>")}}
            {{(done ? "" : $"""
            <form method="post">
              {Input("account", provider == 99999 && f.AccountType != "phone" ? "Recipient nickname" : "Recipient wallet", f.Account)}
              {Input("sum", "Amount, RUB", f.Amount)}
              {(provider == 99999 ? $"<input type=\"hidden\" name=\"accountType\" value=\"{E(f.AccountType)}\">" : Input("comment", "Comment", f.Comment))}
              <label>Your wallet<input name="payer" placeholder="+79001234567" required></label>
              <label>Your emulator token<input name="token" type="password" required></label>
              <input type="hidden" name="clientId" value="{clientId}">
              {string.Join("", f.Blocked.Select((b, i) => $"<input type=\"hidden\" name=\"blocked[{i}]\" value=\"{E(b)}\">"))}
              <button type="submit">Pay</button>
            </form>
            """)}}
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private sealed record FormFields(string Account, string Amount, string Comment, HashSet<string> Blocked, string AccountType = "")
    {
        public static FormFields From(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
        {
            var map = values.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal);
            var blocked = map.Where(v => v.Key.StartsWith("blocked[", StringComparison.Ordinal)).Select(v => v.Value).ToHashSet();
            string Get(params string[] keys) => keys.Select(k => map.GetValueOrDefault(k)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
            var amount = Get("sum");
            if (amount.Length == 0 && map.TryGetValue("amountInteger", out var whole))
            {
                var fraction = int.TryParse(map.GetValueOrDefault("amountFraction"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
                amount = $"{whole}.{fraction:00}";
            }

            return new FormFields(Get("account", "extra['account']"), amount, Get("comment", "extra['comment']"), blocked,
                Get("accountType", "extra['accountType']"));
        }

        public FormFields LockedTo(FormFields link) => link.Blocked.Count == 0
            ? this
            : new FormFields(
                link.Blocked.Contains("account") ? link.Account : Account,
                link.Blocked.Contains("sum") ? link.Amount : Amount,
                link.Blocked.Contains("comment") ? link.Comment : Comment,
                link.Blocked,
                // The link decides how the account is read; the page only echoes it.
                link.AccountType.Length > 0 ? link.AccountType : AccountType);
    }
}

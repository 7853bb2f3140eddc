using System.Diagnostics;
using System.Globalization;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Orders;
using Marketplace.Bench.Hosting;
using Marketplace.Bench.Reporting;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Bench.Matcher.MatcherBenchmark;

namespace Marketplace.Bench.Matcher;

/// <summary>The four measurements. Each starts the service on a fresh database and drops it afterwards.</summary>
public static class Scenarios
{
    private const decimal Price = 150.00m;
    private const int PaymentWindowMinutes = 120;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// K transfers land at once in W wallets holding N open orders; passes of RunOnceAsync run back to
    /// back until every transfer is recorded. Transfers recorded (and orders delivered) per second of passes.
    /// </summary>
    public static async Task ThroughputAsync(ScenarioContext context)
    {
        var s = context.Settings;
        Log($"throughput: {s.Wallets} wallets, {s.Orders} orders, {s.Transfers} transfers");
        await using var app = await ServiceHost.StartAsync(context.Postgres, context.Emulator, backgroundWatcher: false, MatcherConfig(s));
        var qiwi = context.Emulator.CreateAdminClient();
        var setup = Stopwatch.StartNew();
        // A few orders more per wallet, paid in the warm-up rounds.
        var rounds = s.WarmUpRounds;
        var opened = await OpenShopsAsync(app, qiwi, s, s.Wallets, wallet => rounds + s.Orders / s.Wallets + (wallet < s.Orders % s.Wallets ? 1 : 0));
        Log($"throughput: {opened.Sum(x => x.Orders.Count)} orders open in {setup.Elapsed.TotalSeconds:0} s");

        // Warm-up, so the burst meets a running service and not a cold one: the first pass takes the leases and reads
        // each wallet again from its oldest order (a catch-up); then, round after round, one payment and one stray
        // transfer per wallet are recorded, until the recording path has run often enough for the JIT to have
        // optimised it (tiered compilation: a short burst right after start-up otherwise measures the JIT, see
        // docs/benchmarks.md); then a pause for the background compilation and an ordinary pass with nothing new.
        var warmUp = new List<string>();
        async Task WarmUpPassAsync()
        {
            var time = Stopwatch.StartNew();
            var pass = await app.Watcher.RunOnceAsync(CancellationToken.None);
            warmUp.Add($"{time.Elapsed.TotalMilliseconds:0} ms ({pass.Accepted + pass.Rejected} recorded)");
        }

        await WarmUpPassAsync();
        for (var round = 0; round < rounds; round++)
        {
            await ForEachAsync(opened, s.SetupParallelism, async (shop, _) =>
            {
                await qiwi.InjectIncomingAsync(shop.Phone, Price, shop.Orders[round].Payment.Comment);
                await qiwi.InjectIncomingAsync(shop.Phone, Price, "warm-up");
            });
            await NextSecondAsync();
            await WarmUpPassAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await WarmUpPassAsync();
        var shops = opened.Select(x => x with { Orders = x.Orders.Skip(rounds).ToList() }).ToList();
        var before = await OutcomesAsync(app);

        var random = new Random(20261130);
        var transfers = PlanTransfers(shops, s, random);
        var inject = Stopwatch.StartNew();
        await ForEachAsync(transfers, s.SetupParallelism, (t, _) => qiwi.InjectIncomingAsync(t.Phone, t.Amount, t.Comment));
        Log($"throughput: {transfers.Count} transfers injected in {inject.Elapsed.TotalSeconds:0.0} s; passes start");

        using var sql = new SqlCommandCounter();
        using var ef = new EfCoreQueryCache();
        var cpu = new CpuMeter(context.Postgres.PostmasterPid, context.Emulator.ProcessId);
        var passes = new MarkdownTable("Pass", "Time", "Wallets", "Counted", "Inbox", "Behind", "History pages", "Pages per wallet (mean / max)", "SQL commands");
        var total = TimeSpan.Zero;
        int recorded = 0, counted = 0, pages = 0, sqlCommands = 0, idle = 0, pageMax = 0, passCount = 0;
        var emulatorTime = TimeSpan.Zero;
        var sqlByKind = new Dictionary<string, (int Count, int Statements, TimeSpan Time)>(StringComparer.Ordinal);
        while (recorded < transfers.Count && passCount < 200 && idle < 2)
        {
            context.Emulator.Requests.Reset();
            sql.Reset();
            var time = Stopwatch.StartNew();
            var pass = await app.Watcher.RunOnceAsync(CancellationToken.None);
            time.Stop();
            passCount++;
            total += time.Elapsed;
            var done = pass.Accepted + pass.Rejected;
            recorded += done;
            counted += pass.Accepted;
            idle = done == 0 && pass.Behind == 0 ? idle + 1 : 0;
            var perWallet = context.Emulator.Requests.HistoryPagesPerWallet;
            var served = context.Emulator.Requests.Count("history page");
            emulatorTime += context.Emulator.Requests.Serving;
            pages += served;
            pageMax = Math.Max(pageMax, perWallet.DefaultIfEmpty().Max());
            sqlCommands += sql.Total;
            Accumulate(sqlByKind, sql);
            passes.Add(passCount.ToString(Inv), Ms(time.Elapsed), pass.Wallets.ToString(Inv), pass.Accepted.ToString(Inv), pass.Rejected.ToString(Inv),
                pass.Behind.ToString(Inv), served.ToString(Inv), $"{perWallet.DefaultIfEmpty().Average():0.0} / {perWallet.DefaultIfEmpty().Max()}",
                sql.Total.ToString(Inv));
            Log($"throughput: pass {passCount}: {time.Elapsed.TotalMilliseconds:0} ms, {done} recorded ({recorded}/{transfers.Count}), {served} pages");
        }

        var cpuSample = cpu.Sample();
        var cpuUse = cpuSample.Describe();
        var compilations = ef.Describe();
        var outcome = (await OutcomesAsync(app)).Minus(before);
        var expectedDelivered = shops.Sum(x => x.Orders.Count);
        var seconds = total.TotalSeconds;
        var parameters = $"W={s.Wallets} wallets, N={expectedDelivered} orders, K={transfers.Count} transfers " +
                         $"({transfers.Count(t => t.Kind == TransferKind.Exact)} exact, {transfers.Count(t => t.Kind == TransferKind.Half)} halves of split payments, " +
                         $"{transfers.Count(t => t.Kind == TransferKind.Unmatched)} unmatched); RequestsPerWalletPerPass={s.RequestsPerWalletPerPass}, " +
                         $"MaxParallelWallets={s.MaxParallelWallets}; {passCount} passes back to back, after {s.WarmUpRounds} warm-up rounds";
        context.Report.Figure("Transfers recorded per second", $"{outcome.Recorded / seconds:0} /s ({outcome.Recorded} in {seconds:0.00} s)", parameters);
        var perThousand = 1000.0 / Math.Max(1, outcome.Recorded);
        context.Report.Figure("CPU seconds per 1,000 transfers recorded",
            string.Create(Inv, $"{cpuSample.SelfName} {cpuSample.Self * perThousand:0.00} s, PostgreSQL {(cpuSample.Postgres ?? 0) * perThousand:0.00} s") +
            (cpuSample.Emulator is { } emulatorCpu ? string.Create(Inv, $", emulator process {emulatorCpu * perThousand:0.00} s") : ""),
            "same run; CPU time over the passes (the part of the figures least moved by a busy machine)");
        context.Report.Figure("Transfers matched to an order per second", $"{outcome.Matched / seconds:0} /s ({outcome.Matched} counted)", "same run");
        context.Report.Figure("Orders delivered per second", $"{outcome.Delivered / seconds:0} /s ({outcome.Delivered} of {expectedDelivered} delivered)", "same run");
        context.Report.Figure("History requests per wallet per pass (burst)", $"{pages / (double)Math.Max(1, s.Wallets * passCount):0.0} mean, {pageMax} max",
            $"pages of 50; {transfers.Count / s.Wallets} transfers per wallet");
        context.Report.Figure("SQL commands per history page (burst)", $"{sqlCommands / (double)Math.Max(1, pages):0.0} ({sqlCommands} for {pages} pages; " +
                                                                      $"{sqlCommands / (double)Math.Max(1, outcome.Recorded):0.00} per transfer)",
            "round trips Npgsql sent during the passes, COMMITs not included");

        var check = outcome.Recorded == transfers.Count && outcome.Delivered == expectedDelivered
            ? "every transfer recorded and every order delivered"
            : $"MISMATCH: expected {transfers.Count} recorded and {expectedDelivered} delivered";
        context.Report.Detail("Throughput: passes", $"Warm-up passes before the burst: {string.Join(", ", warmUp)}. " +
                                                    $"Outcomes in the database: {outcome.Summary}; {check}. {cpuUse}; the emulator ({(context.Emulator.ProcessId is null ? "in the same process" : "own process")}) spent {Ms(emulatorTime)} serving " +
                                                    $"{pages} history pages (wall time summed over requests); EF Core's compiled-query cache during the passes: {compilations}.\n\n" + passes.ToMarkdown());
        context.Report.Detail("Throughput: SQL commands by kind (all passes)", SqlTable(sqlByKind, pages));
        ReportLogs(context, "Throughput", app);
        Log($"throughput: {outcome.Recorded / seconds:0} transfers/s; {check}");
    }

    /// <summary>1000 wallets, each with one open order and nothing new: what a pass costs when nothing happens.</summary>
    public static async Task SteadyStateAsync(ScenarioContext context)
    {
        var s = context.Settings;
        Log($"steady: {s.SteadyWallets} wallets with one open order each");
        await using var app = await ServiceHost.StartAsync(context.Postgres, context.Emulator, backgroundWatcher: false, MatcherConfig(s));
        var qiwi = context.Emulator.CreateAdminClient();
        var setup = Stopwatch.StartNew();
        await OpenShopsAsync(app, qiwi, s, s.SteadyWallets, _ => 1);
        Log($"steady: wallets and orders ready in {setup.Elapsed.TotalSeconds:0} s");

        var warmUp = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var time = Stopwatch.StartNew();
            await app.Watcher.RunOnceAsync(CancellationToken.None);
            warmUp.Add($"{time.Elapsed.TotalMilliseconds:0} ms");
        }

        using var sql = new SqlCommandCounter();
        using var ef = new EfCoreQueryCache();
        var times = new List<TimeSpan>();
        CpuSample? cpu = null;
        var passes = new MarkdownTable("Pass", "Time", "Wallets read", "History pages", "Pages per wallet (max)", "SQL commands");
        var sqlByKind = new Dictionary<string, (int Count, int Statements, TimeSpan Time)>(StringComparer.Ordinal);
        int pages = 0, pageMax = 0, commands = 0;
        var emulatorTime = TimeSpan.Zero;
        for (var i = 1; i <= s.SteadyPasses; i++)
        {
            // As with the production interval (10 s), each pass starts in a later second than the last one ended:
            // wallets note their progress to the second, and a pass within the same second would find nothing to write.
            await NextSecondAsync();
            context.Emulator.Requests.Reset();
            sql.Reset();
            var meter = new CpuMeter(context.Postgres.PostmasterPid, context.Emulator.ProcessId);
            var time = Stopwatch.StartNew();
            var pass = await app.Watcher.RunOnceAsync(CancellationToken.None);
            time.Stop();
            cpu = cpu is null ? meter.Sample() : cpu + meter.Sample();
            times.Add(time.Elapsed);
            var served = context.Emulator.Requests.Count("history page");
            var max = context.Emulator.Requests.HistoryPagesPerWallet.DefaultIfEmpty().Max();
            emulatorTime += context.Emulator.Requests.Serving;
            pages += served;
            pageMax = Math.Max(pageMax, max);
            commands += sql.Total;
            Accumulate(sqlByKind, sql);
            passes.Add(i.ToString(Inv), Ms(time.Elapsed), $"{pass.Wallets} ({pass.FailedWallets} failed)", served.ToString(Inv), max.ToString(Inv), sql.Total.ToString(Inv));
            Log($"steady: pass {i}: {time.Elapsed.TotalMilliseconds:0} ms, {served} pages");
        }

        times.Sort();
        var parameters = $"{s.SteadyWallets} wallets × 1 open order, nothing new; MaxParallelWallets={s.MaxParallelWallets}; {s.SteadyPasses} passes after 2 warm-up passes";
        context.Report.Figure($"Pass time, {s.SteadyWallets} idle wallets", $"{Ms(times[times.Count / 2])} median (min {Ms(times[0])}, max {Ms(times[^1])})", parameters);
        context.Report.Figure("History requests per wallet per pass (idle)", $"{pages / (double)(s.SteadyWallets * s.SteadyPasses):0.00} mean, {pageMax} max", "same run");
        context.Report.Figure("SQL commands per pass (idle)", $"{commands / s.SteadyPasses} ({commands / (double)(s.SteadyWallets * s.SteadyPasses):0.0} per wallet)",
            "same run; COMMITs not included");
        context.Report.Detail($"Steady state: passes over {s.SteadyWallets} wallets",
            $"Warm-up passes: {string.Join(", ", warmUp)} (the first takes the leases and catches up from each wallet's oldest order). " +
            $"Measured passes: {cpu?.Describe()}; the emulator (in the same process) spent {Ms(emulatorTime)} serving {pages} history pages " +
            $"(wall time summed over requests); EF Core's compiled-query cache during the measured passes: {ef.Describe()}.\n\n" + passes.ToMarkdown());
        context.Report.Detail("Steady state: SQL commands by kind (all measured passes)", SqlTable(sqlByKind, pages));
        ReportLogs(context, "Steady state", app);
    }

    /// <summary>
    /// Payment to delivery with push: the emulator's webhook goes through a loopback relay (the service's
    /// public address) into the in-memory host; the watcher runs on its timer, ten minutes apart. The
    /// payments are spread over a few wallets, so no wallet's QIWI request budget runs out (push-burst does that).
    /// </summary>
    public static async Task PushLatencyAsync(ScenarioContext context)
    {
        var s = context.Settings;
        Log($"push: {s.Payments} payments over {s.LatencyWallets} wallets");
        await WithPushAsync(context, new Dictionary<string, string?>
        {
            ["PaymentWatcher:Interval"] = "00:10:00", // polling alone would take ten minutes
            ["PaymentWatcher:LeaseDuration"] = "00:20:00",
        }, async app =>
        {
            var run = await MeasureLatencyAsync(app, context, push: true, s.LatencyWallets, s.Payments, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));
            ReportLatency(context, "Payment → delivery with push", run,
                $"{s.Payments} payments one after another (0-200 ms apart) with the emulator's transfer API, over {s.LatencyWallets} wallets; " +
                "watcher interval 10 min; emulator webhook → loopback relay → service");
            ReportLogs(context, "Push latency", app);
        });
    }

    /// <summary>Payment to delivery by polling alone: the watcher on its timer every --poll-interval.</summary>
    public static async Task PollingLatencyAsync(ScenarioContext context)
    {
        var s = context.Settings;
        Log($"polling: {s.Payments} payments over {s.LatencyWallets} wallets, interval {s.PollInterval.TotalSeconds:0.###} s");
        await using var app = await ServiceHost.StartAsync(context.Postgres, context.Emulator, backgroundWatcher: true, new Dictionary<string, string?>(MatcherConfig(s))
        {
            ["PaymentWatcher:Interval"] = s.PollInterval.ToString("c", Inv),
        });
        var run = await MeasureLatencyAsync(app, context, push: false, s.LatencyWallets, s.Payments, s.PollInterval, TimeSpan.FromSeconds(60));
        ReportLatency(context, "Payment → delivery with polling", run,
            $"{s.Payments} payments one after another (0-{s.PollInterval.TotalMilliseconds:0} ms apart, so they fall anywhere in the interval), " +
            $"over {s.LatencyWallets} wallets; PaymentWatcher:Interval={s.PollInterval.TotalSeconds:0.###} s");
        ReportLogs(context, "Polling latency", app);
    }

    /// <summary>
    /// A burst of payments to one wallet with push, the watcher at its production interval (10 s). Each
    /// notification costs that wallet's QIWI request budget (80 history requests a minute) a transfer
    /// lookup and a history page: the burst shows what happens when the budget runs out.
    /// </summary>
    public static async Task PushBurstAsync(ScenarioContext context)
    {
        var s = context.Settings;
        Log($"push-burst: {s.BurstPayments} payments to one wallet, 0-200 ms apart; watcher interval 10 s");
        await WithPushAsync(context, new Dictionary<string, string?>(), async app =>
        {
            context.Emulator.Requests.Reset();
            var run = await MeasureLatencyAsync(app, context, push: true, 1, s.BurstPayments, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(3));
            var refused = app.Logs.Count(k => k.Contains("RateLimited", StringComparison.Ordinal) && k.Contains("ReadWalletHandler", StringComparison.Ordinal));
            ReportLatency(context, "Payment → delivery with push, burst on one wallet", run,
                $"{s.BurstPayments} payments to one wallet one after another (0-200 ms apart); PaymentWatcher:Interval=10 s (the default); " +
                $"the emulator served {context.Emulator.Requests.Count("history page")} history pages and {context.Emulator.Requests.Count("transaction lookup")} transaction lookups; " +
                $"{refused} wallet reads were refused by the service's own request budget (RateLimited)");
            var slow = run.Latencies.Select((latency, index) => (latency, index)).Where(p => p.latency > TimeSpan.FromSeconds(2)).ToList();
            context.Report.Detail("Push burst on one wallet: latency of each payment, in order",
                string.Join(", ", run.Latencies.Select(l => Ms(l))) + "\n\n" +
                (slow.Count == 0 ? "No payment waited more than 2 s." : $"{slow.Count} payments waited more than 2 s, the first of them payment #{slow[0].index + 1}."));
            ReportLogs(context, "Push burst", app);
        });
    }

    /// <summary>The service with push on: a loopback relay stands in for its public address and forwards notifications into the in-memory host.</summary>
    private static async Task WithPushAsync(ScenarioContext context, Dictionary<string, string?> settings, Func<ServiceHost, Task> body)
    {
        ServiceHost? service = null;
        var (relay, relayAddress) = await LoopbackHost.StartAsync(_ => { }, relay => relay.MapPost("/api/v1/hooks/{method}/{walletId}", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            using var forwarded = await service!.CreateClient().PostAsync(http.Request.Path.Value,
                new ByteArrayContent(buffer.ToArray()) { Headers = { ContentType = new("application/json") } });
            return Results.StatusCode((int)forwarded.StatusCode);
        }));
        try
        {
            var all = new Dictionary<string, string?>(MatcherConfig(context.Settings)) { ["Push:PublicBaseUrl"] = relayAddress.ToString() };
            foreach (var (key, value) in settings) all[key] = value;
            await using var app = await ServiceHost.StartAsync(context.Postgres, context.Emulator, backgroundWatcher: true, all);
            service = app;
            await body(app);
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }

    private sealed record LatencyRun(List<TimeSpan> Latencies);

    /// <summary>
    /// Payments one after another, round robin over <paramref name="wallets"/> seller wallets, each after a random pause
    /// of up to <paramref name="jitter"/>; the latency of each is from the transfer call to the order API showing it delivered.
    /// </summary>
    private static async Task<LatencyRun> MeasureLatencyAsync(
        ServiceHost app, ScenarioContext context, bool push, int wallets, int payments, TimeSpan jitter, TimeSpan patience)
    {
        var qiwi = context.Emulator.CreateAdminClient();
        var buyerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone(), balance: Price * (payments + 1));
        var buyerToken = await qiwi.IssueTokenAsync(buyerPhone);
        var seller = await app.CreateApiClient().SignUpAsync();
        var buyer = await app.CreateApiClient().SignUpAsync();
        var sellerPhones = new List<string>();
        var listings = new List<Guid>();
        for (var w = 0; w < wallets; w++)
        {
            var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
            // Push needs a token that may manage notifications (every group); polling needs only to read.
            var token = push ? await qiwi.IssueTokenAsync(phone) : await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");
            var wallet = await seller.ConnectQiwiWalletAsync(phone, token, push);
            if (push && !wallet.PushEnabled) throw new InvalidOperationException("Push was not enabled on the wallet: " + wallet.PushError);
            var listing = await seller.CreateListingAsync(wallet.Id, Price, PaymentWindowMinutes);
            await seller.AddItemsAsync(listing.Id, Keys(payments / wallets + 1));
            sellerPhones.Add(phone);
            listings.Add(listing.Id);
        }

        var orders = new List<(string Phone, OrderDto Order)>();
        for (var i = 0; i < payments; i++) orders.Add((sellerPhones[i % wallets], await buyer.PlaceOrderAsync(listings[i % wallets])));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the watcher's start-up pass is over

        var random = new Random(7);
        var latencies = new List<TimeSpan>();
        foreach (var (phone, order) in orders)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * jitter.TotalMilliseconds));
            var clock = Stopwatch.StartNew();
            await qiwi.PayAsync(buyerToken, phone, Price, order.Payment.Comment);
            while (true)
            {
                var now = await buyer.GetOrderAsync(order.Id);
                if (now.Status == OrderStatus.Delivered) break;
                if (clock.Elapsed > patience)
                    throw new TimeoutException($"Order {order.Id} still {now.Status} {patience.TotalSeconds:0} s after its payment (payment #{latencies.Count + 1}).");
                await Task.Delay(10);
            }

            latencies.Add(clock.Elapsed);
        }

        return new LatencyRun(latencies);
    }

    private static void ReportLogs(ScenarioContext context, string scenario, ServiceHost app)
    {
        var counts = app.Logs.Counts;
        if (counts.Count == 0) return;
        var table = new MarkdownTable("Service log entry (level, category, kind)", "Count");
        foreach (var (kind, count) in counts.OrderByDescending(p => p.Value)) table.Add(kind, count.ToString(Inv));
        context.Report.Detail($"{scenario}: the service's warnings and errors", table.ToMarkdown());
    }

    private static void ReportLatency(ScenarioContext context, string figure, LatencyRun run, string parameters)
    {
        var sorted = run.Latencies.Order().ToList();
        var result = $"p50 {Ms(Percentile(sorted, 0.50))}, p99 {Ms(Percentile(sorted, 0.99))} (p90 {Ms(Percentile(sorted, 0.90))}, max {Ms(sorted[^1])})";
        context.Report.Figure(figure, result, parameters + "; delivery seen by polling the order API every 10 ms");
        Log($"{figure}: {result}");
    }

    /// <summary>Nearest-rank percentile (with 50 samples, p99 is the largest).</summary>
    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static Dictionary<string, string?> MatcherConfig(MatcherSettings s) => new()
    {
        ["PaymentWatcher:RequestsPerWalletPerPass"] = s.RequestsPerWalletPerPass.ToString(Inv),
        ["PaymentWatcher:MaxParallelWallets"] = s.MaxParallelWallets.ToString(Inv),
    };

    private sealed record Shop(string Phone, Guid WalletId, List<OrderDto> Orders);

    /// <summary>One seller account, <paramref name="count"/> connected wallets with one stocked listing each, and the orders of a few buyers.</summary>
    private static async Task<List<Shop>> OpenShopsAsync(ServiceHost app, EmulatorClient qiwi, MatcherSettings s, int count, Func<int, int> ordersOf)
    {
        var seller = await app.CreateApiClient().SignUpAsync();
        var buyers = new List<ApiClient>();
        for (var i = 0; i < s.SetupParallelism; i++) buyers.Add(await app.CreateApiClient().SignUpAsync());

        var shops = new Shop[count];
        await ForEachAsync(Enumerable.Range(0, count).ToList(), s.SetupParallelism, async (index, worker) =>
        {
            var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
            var token = await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");
            var wallet = await seller.ConnectQiwiWalletAsync(phone, token);
            var listing = await seller.CreateListingAsync(wallet.Id, Price, PaymentWindowMinutes);
            var orders = ordersOf(index);
            await seller.AddItemsAsync(listing.Id, Keys(orders));
            var placed = new List<OrderDto>(orders);
            for (var i = 0; i < orders; i++) placed.Add(await buyers[worker].PlaceOrderAsync(listing.Id));
            shops[index] = new Shop(phone, wallet.Id, placed);
            if ((index + 1) % 100 == 0) Log($"  {index + 1}/{count} wallets ready");
        });
        return [.. shops];
    }

    private static string[] Keys(int count) => Enumerable.Range(1, count).Select(i => $"KEY-{Guid.NewGuid():N}-{i}").ToArray();

    private enum TransferKind { Exact, Half, Unmatched }

    private sealed record PlannedTransfer(string Phone, decimal Amount, string? Comment, TransferKind Kind);

    /// <summary>
    /// Every order paid: most by one exact transfer, <see cref="MatcherSettings.SplitShare"/> in two halves;
    /// comments typed the ways buyers type them; the rest of the transfers name no order (the inbox).
    /// Shuffled, so wallets fill up side by side.
    /// </summary>
    private static List<PlannedTransfer> PlanTransfers(List<Shop> shops, MatcherSettings s, Random random)
    {
        var planned = new List<PlannedTransfer>();
        foreach (var shop in shops)
        foreach (var order in shop.Orders)
        {
            var comment = AsTyped(order.Payment.Comment, random);
            if (random.NextDouble() < s.SplitShare)
            {
                planned.Add(new(shop.Phone, Price / 2, comment, TransferKind.Half));
                planned.Add(new(shop.Phone, Price / 2, AsTyped(order.Payment.Comment, random), TransferKind.Half));
            }
            else
            {
                planned.Add(new(shop.Phone, Price, comment, TransferKind.Exact));
            }
        }

        for (var i = 0; planned.Count < s.Transfers; i++)
        {
            string? comment = (i % 4) switch
            {
                0 => null,
                1 => "thanks!",
                2 => PaymentComment.New(), // a code, but no order's
                _ => "\u0437\u0430 \u043A\u043B\u044E\u0447 " + PaymentComment.New().ToLowerInvariant(),
            };
            planned.Add(new(shops[i % shops.Count].Phone, Price, comment, TransferKind.Unmatched));
        }

        if (planned.Count > s.Transfers)
            Log($"throughput: paying every order takes {planned.Count} transfers, more than --transfers {s.Transfers}; injecting {planned.Count}");
        return [.. planned.OrderBy(_ => random.Next())];
    }

    /// <summary>The code as a buyer types it: as shown, inside a sentence, lower-case, in groups, or with Cyrillic look-alikes.</summary>
    private static string AsTyped(string code, Random random) => random.Next(10) switch
    {
        < 5 => code,
        < 7 => $"Order {code}, thanks",
        7 => code.ToLowerInvariant(),
        8 => $"{code[..4]} {code[4..8]} {code[8..]}",
        _ => string.Concat(code.Select(c => Cyrillic.GetValueOrDefault(c, c))),
    };

    private static readonly Dictionary<char, char> Cyrillic = new()
    {
        ['A'] = '\u0410', ['B'] = '\u0412', ['E'] = '\u0415', ['K'] = '\u041A', ['M'] = '\u041C', ['H'] = '\u041D',
        ['P'] = '\u0420', ['C'] = '\u0421', ['T'] = '\u0422', ['X'] = '\u0425', ['Y'] = '\u0423', ['3'] = '\u0417',
    };

    private sealed record Outcomes(int Recorded, int Matched, int Delivered, string Summary)
    {
        /// <summary>What happened since <paramref name="earlier"/> (the summary stays the whole database's).</summary>
        public Outcomes Minus(Outcomes earlier) =>
            new(Recorded - earlier.Recorded, Matched - earlier.Matched, Delivered - earlier.Delivered, Summary + $" (of which the warm-up: {earlier.Summary})");
    }

    private static async Task<Outcomes> OutcomesAsync(ServiceHost app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var byOutcome = await db.IncomingPayments.AsNoTracking().GroupBy(p => p.Outcome)
            .Select(g => new { Outcome = g.Key, Count = g.Count() }).ToListAsync();
        var byStatus = await db.Orders.AsNoTracking().GroupBy(o => o.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync();
        var recorded = byOutcome.Sum(o => o.Count);
        var matched = byOutcome.Where(o => o.Outcome.Counts()).Sum(o => o.Count);
        var delivered = byStatus.Where(o => o.Status == OrderStatus.Delivered).Sum(o => o.Count);
        var summary = "transfers " + string.Join(", ", byOutcome.OrderByDescending(o => o.Count).Select(o => $"{o.Outcome} {o.Count}")) +
                      "; orders " + string.Join(", ", byStatus.OrderByDescending(o => o.Count).Select(o => $"{o.Status} {o.Count}"));
        return new Outcomes(recorded, matched, delivered, summary);
    }

    private static void Accumulate(Dictionary<string, (int Count, int Statements, TimeSpan Time)> sums, SqlCommandCounter sql)
    {
        foreach (var (kind, count, statements, spent) in sql.ByKind)
            sums[kind] = sums.TryGetValue(kind, out var sum) ? (sum.Count + count, sum.Statements + statements, sum.Time + spent) : (count, statements, spent);
    }

    private static string SqlTable(Dictionary<string, (int Count, int Statements, TimeSpan Time)> byKind, int pages)
    {
        var table = new MarkdownTable("Command (verb, first table)", "Round trips", "Statements", "Round trips per history page", "Time in Npgsql (summed over concurrent wallets)");
        foreach (var (kind, (count, statements, time)) in byKind.OrderByDescending(p => p.Value.Count))
            table.Add(kind, count.ToString(Inv), statements.ToString(Inv), (count / (double)Math.Max(1, pages)).ToString("0.00", Inv), Ms(time));
        return table.ToMarkdown();
    }

    private static Task NextSecondAsync()
    {
        var now = DateTimeOffset.UtcNow;
        return Task.Delay(TimeSpan.FromMilliseconds(1000 - now.Millisecond + 20));
    }

    private static async Task ForEachAsync<T>(IReadOnlyList<T> items, int parallelism, Func<T, int, Task> body)
    {
        var next = -1;
        var workers = Enumerable.Range(0, parallelism).Select(async worker =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < items.Count) await body(items[index], worker);
        });
        await Task.WhenAll(workers);
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds >= 10_000
        ? $"{time.TotalSeconds:0.0} s"
        : $"{time.TotalMilliseconds:0} ms";
}

using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Payments;
using Marketplace.Rails.Qiwi;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.QiwiEmulator.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>Our typed QIWI client, wired exactly as the service wires it, against an emulator on its own port.</summary>
public sealed class QiwiClientHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private QiwiClientHarness(EmulatorHost emulator, ServiceProvider services, TestClock clock)
    {
        Emulator = emulator;
        _services = services;
        Clock = clock;
    }

    public EmulatorHost Emulator { get; }
    public TestClock Clock { get; }
    public IQiwiWalletApi Api => _services.GetRequiredService<IQiwiWalletApi>();
    public IQiwiSiteApi Site => _services.GetRequiredService<IQiwiSiteApi>();
    public QiwiPayments Payments => _services.GetRequiredService<QiwiPayments>();
    public QiwiWalletConnector Connector => _services.GetRequiredService<QiwiWalletConnector>();
    public QiwiHistorySource History => _services.GetRequiredService<QiwiHistorySource>();
    public QiwiTransferLookup Lookup => _services.GetRequiredService<QiwiTransferLookup>();
    public QiwiPushNotifications Push => _services.GetRequiredService<QiwiPushNotifications>();
    public QiwiPaymentLinks Links => _services.GetRequiredService<QiwiPaymentLinks>();
    public EmulatorState State => Emulator.Services.GetRequiredService<EmulatorState>();
    public EmulatorClient Admin => Emulator.CreateAdminClient();

    public static async Task<QiwiClientHarness> StartAsync(
        Dictionary<string, string?>? clientSettings = null, Dictionary<string, string?>? emulatorSettings = null,
        Action<IServiceCollection>? emulatorServices = null)
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var emulator = await EmulatorHost.StartAsync(clock, emulatorSettings, emulatorServices);
        var settings = new Dictionary<string, string?>
        {
            ["Qiwi:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["Qiwi:RequestTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in clientSettings ?? []) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock);
        services.AddQiwiRail(configuration);
        return new QiwiClientHarness(emulator, services.BuildServiceProvider(), clock);
    }

    /// <summary>Every page of the range through the history source, as the matcher reads it; also how many requests it took.</summary>
    public async Task<(List<ObservedTransfer> Transfers, int Pages)> ReadAllAsync(WalletCredentials credentials, HistoryRange range)
    {
        var transfers = new List<ObservedTransfer>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await History.ReadPageAsync(credentials, range, continuation, CancellationToken.None);
            pages++;
            transfers.AddRange(page.Transfers);
            continuation = page.Continuation;
        }
        while (continuation is not null && pages < 1000);

        return (transfers, pages);
    }

    /// <summary>A new emulator wallet and a token with the given groups (all when none given).</summary>
    public async Task<(string Phone, long PersonId, string Token)> NewWalletAsync(decimal balance = 0m, params string[] groups)
    {
        var phone = await Admin.CreateWalletAsync(EmulatorClient.NewPhone(), balance);
        return (phone, long.Parse(phone.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture), await Admin.IssueTokenAsync(phone, groups));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

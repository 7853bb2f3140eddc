using System.Net;
using Marketplace.QiwiEmulator.State;

namespace Marketplace.Domain.Tests;

/// <summary>Which webhook targets the emulator may call: public unicast only, whatever the notation.</summary>
public sealed class WebhookTargetPolicyTests
{
    [Theory]
    // IPv4 special-purpose ranges
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("169.254.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.0.1")]
    [InlineData("192.168.255.255")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    // IPv6
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("::127.0.0.1")] // IPv4-compatible (deprecated)
    [InlineData("::8.8.8.8")]
    [InlineData("64:ff9b::127.0.0.1")] // NAT64 of loopback
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::1")] // local-use NAT64
    [InlineData("100::1")] // discard-only
    [InlineData("2001::1")] // Teredo
    [InlineData("2001:2::1")] // benchmarking
    [InlineData("2001:db8::1")] // documentation
    [InlineData("3fff::1")] // documentation (RFC 9637)
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fec0::1")] // site-local (deprecated)
    [InlineData("ff02::1")]
    [InlineData("ff05::2")]
    public void Non_public_addresses_are_refused(string address) =>
        Assert.False(WebhookTargetPolicy.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("79.142.16.1")] // QIWI's own range
    [InlineData("9.255.255.255")] // just below 10/8
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")] // just above
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.0")] // just above
    [InlineData("192.0.1.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")] // last before multicast
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:81b::200e")]
    [InlineData("2001:200::1")] // just past 2001::/23
    [InlineData("3ffe::1")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(WebhookTargetPolicy.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST.", true)]
    [InlineData("api.localhost", true)]
    [InlineData("localhost.example.com", false)]
    [InlineData("mylocalhost", false)]
    public void Localhost_names_are_recognised_without_dns(string host, bool local) =>
        Assert.Equal(local, WebhookTargetPolicy.IsLocalHostName(host));

    [Theory]
    [InlineData("public.test", false, true)]
    [InlineData("private.test", false, false)]
    [InlineData("mixed.test", false, false)] // one bad address is enough
    [InlineData("missing.test", false, false)] // does not resolve
    [InlineData("localhost", false, false)] // never asked of DNS
    [InlineData("[::1]", false, false)]
    [InlineData("[2606:4700:4700::1111]", false, true)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("private.test", true, true)] // the switch lifts the check
    [InlineData("[::1]", true, true)]
    [InlineData("missing.test", true, false)] // but an unknown name is still no target
    public async Task Hosts_pass_only_when_every_address_they_resolve_to_passes(string host, bool allowNonPublic, bool allowed)
    {
        var resolver = new StaticResolver(new()
        {
            ["public.test"] = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("2606:4700:4700::1111")],
            ["private.test"] = [IPAddress.Parse("10.1.1.1")],
            ["mixed.test"] = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("::ffff:127.0.0.1")],
            ["localhost"] = [IPAddress.Parse("8.8.8.8")], // a lying resolver changes nothing
        });

        var addresses = await WebhookTargetPolicy.ResolveAllowedAsync(host, resolver, allowNonPublic, TestContext.Current.CancellationToken);

        Assert.Equal(allowed, addresses is not null);
    }

    [Theory]
    [InlineData("https://public.test/hook", true)]
    [InlineData("ftp://public.test/hook", false)]
    [InlineData("http://private.test/hook", false)]
    [InlineData("http://[::ffff:a00:1]/", false)] // ::ffff:10.0.0.1
    public async Task Urls_are_judged_by_scheme_and_host(string url, bool allowed)
    {
        var resolver = new StaticResolver(new()
        {
            ["public.test"] = [IPAddress.Parse("8.8.8.8")],
            ["private.test"] = [IPAddress.Parse("192.168.1.1")],
        });

        Assert.Equal(allowed, await WebhookTargetPolicy.IsAllowedAsync(new Uri(url), resolver, false, TestContext.Current.CancellationToken));
    }

    private sealed class StaticResolver(Dictionary<string, IPAddress[]> answers) : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            answers.TryGetValue(host, out var addresses)
                ? Task.FromResult(addresses)
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
    }
}

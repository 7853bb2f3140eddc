using System.Net;
using System.Net.Sockets;

namespace Marketplace.QiwiEmulator.State;

/// <summary>Host name to addresses, for webhook targets. Replaceable so tests can play a DNS that changes its answer.</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>
/// Which webhook targets the emulator may call. QIWI only called Internet hosts; a sandbox that
/// POSTs wherever a stranger asks would let anyone reach the loopback interface, the private
/// network or a cloud metadata service (169.254.169.254) of the machine it runs on. A target is
/// allowed only when every address its host resolves to is a public unicast address. The check
/// runs at registration and again when connecting (<see cref="ConnectCallback"/>), against the very
/// address the socket connects to, so a DNS answer that changes in between (rebinding) gains nothing.
/// </summary>
public static class WebhookTargetPolicy
{
    // IPv4 ranges that are not public unicast (IANA special-purpose registry, RFC 6890 and successors).
    private static readonly (uint Network, int Bits)[] NonPublicV4 =
    [
        (V4(0, 0, 0, 0), 8),        // "this network", incl. 0.0.0.0 unspecified
        (V4(10, 0, 0, 0), 8),       // private
        (V4(100, 64, 0, 0), 10),    // carrier-grade NAT
        (V4(127, 0, 0, 0), 8),      // loopback
        (V4(169, 254, 0, 0), 16),   // link-local, incl. 169.254.169.254 cloud metadata
        (V4(172, 16, 0, 0), 12),    // private
        (V4(192, 0, 0, 0), 24),     // IETF protocol assignments
        (V4(192, 0, 2, 0), 24),     // documentation TEST-NET-1
        (V4(192, 88, 99, 0), 24),   // 6to4 relay anycast (deprecated)
        (V4(192, 168, 0, 0), 16),   // private
        (V4(198, 18, 0, 0), 15),    // benchmarking
        (V4(198, 51, 100, 0), 24),  // documentation TEST-NET-2
        (V4(203, 0, 113, 0), 24),   // documentation TEST-NET-3
        (V4(224, 0, 0, 0), 4),      // multicast
        (V4(240, 0, 0, 0), 4),      // reserved, incl. 255.255.255.255 broadcast
    ];

    /// <summary>True only for a public unicast address. IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is judged as IPv4.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (address.IsIPv4MappedToIPv6) return IsPublicV4(address.MapToIPv4());

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        // 64:ff9b::/96, the NAT64 well-known prefix: the last 32 bits are the IPv4 destination.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0)
            return IsPublicV4(new IPAddress(b[12..16]));
        // 2002::/16, 6to4: bits 16-47 are the IPv4 address of the relay end.
        if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(new IPAddress(b[2..6]));
        // Everything outside global unicast 2000::/3 is not public: ::, ::1, IPv4-compatible ::/96,
        // 64:ff9b:1::/48, 100::/64 discard, fc00::/7 unique local, fe80::/10 link-local,
        // fec0::/10 site-local, ff00::/8 multicast.
        if ((b[0] & 0xE0) != 0x20) return false;
        // 2001::/23 IETF protocol assignments (Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID).
        if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xFE) == 0x00) return false;
        // 2001:db8::/32 and 3fff::/20, documentation.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;
        if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xF0) == 0x00) return false;
        return true;
    }

    /// <summary>"localhost" and any name under .localhost always mean this machine (RFC 6761), whatever DNS says.</summary>
    public static bool IsLocalHostName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> (a name or an IP literal, brackets allowed) when the
    /// policy allows all of them; null when any is refused or the name does not resolve.
    /// </summary>
    public static async Task<IPAddress[]?> ResolveAllowedAsync(
        string host, IWebhookHostResolver resolver, bool allowNonPublic, CancellationToken cancellationToken)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (bare.Length == 0) return null;
        if (!allowNonPublic && IsLocalHostName(bare)) return null;

        IPAddress[] addresses;
        if (IPAddress.TryParse(bare, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolver.ResolveAsync(bare, cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or ArgumentException)
            {
                return null;
            }
        }

        if (addresses.Length == 0) return null;
        return allowNonPublic || addresses.All(IsPublic) ? addresses : null;
    }

    /// <summary>Registration check: an absolute http(s) URL whose host passes <see cref="ResolveAllowedAsync"/>.</summary>
    public static async Task<bool> IsAllowedAsync(Uri uri, IWebhookHostResolver resolver, bool allowNonPublic, CancellationToken cancellationToken) =>
        uri.IsAbsoluteUri && uri.Scheme is ("http" or "https")
        && await ResolveAllowedAsync(uri.IdnHost, resolver, allowNonPublic, cancellationToken) is not null;

    /// <summary>
    /// The webhook HttpClient's connect step: resolve the host, refuse it unless every address is
    /// allowed, then open the socket to one of those checked addresses ourselves.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(
        IWebhookHostResolver resolver, Func<bool> allowNonPublic) => async (context, cancellationToken) =>
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAllowedAsync(endpoint.Host, resolver, allowNonPublic(), cancellationToken)
                        ?? throw new HttpRequestException(HttpRequestError.ConnectionError,
                            $"Webhook target {endpoint.Host} is not a public Internet address; refused.");
        Exception? last = null;
        foreach (var address in addresses)
        {
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException(HttpRequestError.ConnectionError, $"Could not connect to webhook target {endpoint.Host}.", last);
    };

    private static bool IsPublicV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        var value = (uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3];
        foreach (var (network, bits) in NonPublicV4)
        {
            var mask = uint.MaxValue << (32 - bits);
            if ((value & mask) == network) return false;
        }

        return true;
    }

    private static uint V4(byte a, byte b, byte c, byte d) => (uint)a << 24 | (uint)b << 16 | (uint)c << 8 | d;
}

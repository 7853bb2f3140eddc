using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.QiwiEmulator;

/// <summary>
/// The key the admin API (/admin/v1) requires in <see cref="HeaderName"/>. It is the configured
/// <see cref="EmulatorOptions.AdminKey"/> when there is one; otherwise 32 random bytes (base64url)
/// generated on the first start and kept in an owner-only file (<see cref="FilePath"/>) that later
/// starts reuse. A singleton, so a hosting service can tell its operators where the key is.
/// </summary>
public sealed class EmulatorAdminKey
{
    public const string HeaderName = "X-Emulator-Admin-Key";
    public const string DefaultFileName = "qiwi-emulator-admin-key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly byte[] _digest;

    private EmulatorAdminKey(string value, string? filePath, bool generated)
    {
        Value = value;
        FilePath = filePath;
        Generated = generated;
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The key itself. Never log it.</summary>
    public string Value { get; }

    /// <summary>The full path of the file holding the key; null when the key is configured (QiwiEmulator:AdminKey).</summary>
    public string? FilePath { get; }

    /// <summary>True when this start created the key file.</summary>
    public bool Generated { get; }

    /// <summary>
    /// Constant-time check of a presented key. Both sides are hashed first, so neither the content
    /// nor the length of the key leaks through timing.
    /// </summary>
    public bool Matches(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _digest);
    }

    /// <summary>qiwi-emulator-admin-key beside the state file, or under data/ when state is kept in memory.</summary>
    public static string DefaultFilePath(EmulatorOptions options)
    {
        var folder = string.IsNullOrWhiteSpace(options.StateFile)
            ? Path.GetFullPath("data")
            : Path.GetDirectoryName(Path.GetFullPath(options.StateFile))!;
        return Path.Combine(folder, DefaultFileName);
    }

    /// <summary>
    /// The configured key, else the one in the key file, else a new one written to the key file.
    /// Fails start-up when the file cannot be read or written: an admin API without a known key is
    /// never the fallback.
    /// </summary>
    public static EmulatorAdminKey Resolve(EmulatorOptions options)
    {
        // Trimmed like a key read from the file: a configured key pasted with a newline must still match.
        if (!string.IsNullOrWhiteSpace(options.AdminKey)) return new EmulatorAdminKey(options.AdminKey.Trim(), null, generated: false);

        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(options.AdminKeyFile) ? DefaultFilePath(options) : options.AdminKeyFile);
        try
        {
            return FromFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"The QIWI emulator could not read or create its admin key file {path}. Set QiwiEmulator:AdminKey, " +
                "or QiwiEmulator:AdminKeyFile (or QiwiEmulator:StateFile) to a writable place.", ex);
        }
    }

    private static EmulatorAdminKey FromFile(string path)
    {
        State.EmulatorStore.EnsureOwnerOnlyFolder(Path.GetDirectoryName(path)!);
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllText(path).Trim();
                if (existing.Length > 0)
                {
                    TightenMode(path);
                    return new EmulatorAdminKey(existing, path, generated: false);
                }
            }

            var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            try
            {
                // CreateNew: two processes starting together cannot both write; the loser reads the winner's key.
                // An empty file (a crash between create and write) is overwritten, keeping its mode.
                var mode = File.Exists(path) ? FileMode.Truncate : FileMode.CreateNew;
                var fileOptions = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows() && mode == FileMode.CreateNew) fileOptions.UnixCreateMode = OwnerOnly;
                using (var stream = new FileStream(path, fileOptions))
                {
                    stream.Write(Encoding.UTF8.GetBytes(value));
                    stream.Flush(flushToDisk: true);
                }

                TightenMode(path);
                return new EmulatorAdminKey(value, path, generated: true);
            }
            catch (IOException) when (attempt < 3 && File.Exists(path))
            {
                // Another process created it first: read theirs on the next pass.
            }
        }
    }

    /// <summary>A key file readable by others (copied in, or made before this rule) is narrowed to its owner.</summary>
    private static void TightenMode(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~OwnerOnly) != 0) File.SetUnixFileMode(path, mode & OwnerOnly);
    }
}

/// <summary>Resolves the admin key when the host starts (so a generated file exists before the first call) and says where it is, once.</summary>
internal sealed class EmulatorAdminKeyAnnouncer(EmulatorAdminKey key, ILogger<EmulatorAdminKey> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (key.FilePath is { } path)
        {
            logger.LogWarning(
                "QIWI emulator admin API: send the key in {Header}. The key is in {KeyFile} ({How}); set QiwiEmulator:AdminKey to use a fixed one.",
                EmulatorAdminKey.HeaderName, path, key.Generated ? "generated now" : "kept from an earlier start");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

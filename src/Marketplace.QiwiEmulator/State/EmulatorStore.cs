using System.Text.Json;

namespace Marketplace.QiwiEmulator.State;

public sealed record EmulatorSnapshot(List<EmulatorWallet> Wallets, List<EmulatorToken> Tokens, long NextTxnId);

/// <summary>
/// Keeps the standalone emulator's state in one JSON file, replaced atomically on every change. The
/// file holds every wallet's tokens, so it is written owner-only (0600): the temporary file is
/// created with that mode and the move keeps it.
/// </summary>
public sealed class EmulatorStore(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private readonly string _path = Path.GetFullPath(path);

    public EmulatorSnapshot? Load()
    {
        if (!File.Exists(_path)) return null;
        // A file written before this rule (or copied in) is narrowed to its owner at once.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(_path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
            File.SetUnixFileMode(_path, File.GetUnixFileMode(_path) & (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        return JsonSerializer.Deserialize<EmulatorSnapshot>(File.ReadAllText(_path), Json);
    }

    public void Save(EmulatorSnapshot snapshot)
    {
        EnsureOwnerOnlyFolder(Path.GetDirectoryName(_path)!);
        var temporary = $"{_path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options)) JsonSerializer.Serialize(stream, snapshot, Json);
            File.Move(temporary, _path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Creates a missing folder as 0700 (it holds tokens and the admin key); an existing one is left as the operator made it.</summary>
    public static void EnsureOwnerOnlyFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

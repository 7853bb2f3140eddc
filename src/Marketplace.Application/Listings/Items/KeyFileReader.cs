using System.Runtime.CompilerServices;
using System.Text;

namespace Marketplace.Application.Listings.Items;

/// <summary>
/// Reads keys from an upload as it arrives, one record at a time, never the whole body as one string.
/// Plain text: one key per line. CSV (RFC 4180): quoted fields may hold commas, doubled quotes and line
/// breaks; the column named <c>key</c> (case-insensitive, in the first record) is used, otherwise the first
/// column, and then the first record is a key too. Line numbers are those of the record's first line.
/// </summary>
public static class KeyFileReader
{
    public static async IAsyncEnumerable<RawKey> ReadPlainAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            yield return new RawKey(line, text);
        }
    }

    public static async IAsyncEnumerable<RawKey> ReadCsvAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var column = -1;
        var parser = new CsvParser(reader);
        while (await parser.NextAsync(cancellationToken) is { } record)
        {
            if (column < 0)
            {
                var header = record.Fields.FindIndex(f => string.Equals(f.Trim(), "key", StringComparison.OrdinalIgnoreCase));
                column = Math.Max(header, 0);
                if (header >= 0) continue;
            }

            yield return new RawKey(record.Line, column < record.Fields.Count ? record.Fields[column] : "");
        }
    }

    /// <summary>A small RFC 4180 reader over buffered chars; line breaks are CRLF, LF or CR.</summary>
    private sealed class CsvParser(TextReader reader)
    {
        private readonly char[] _buffer = new char[16 * 1024];
        private int _length;
        private int _position;
        private int _line = 1;
        private bool _end;

        public async Task<(int Line, List<string> Fields)?> NextAsync(CancellationToken cancellationToken)
        {
            if (!await EnsureAsync(cancellationToken)) return null;
            var startLine = _line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var fieldStart = true;
            while (await EnsureAsync(cancellationToken))
            {
                var c = _buffer[_position++];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (await EnsureAsync(cancellationToken) && _buffer[_position] == '"')
                        {
                            _position++;
                            field.Append('"');
                        }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n' || (c == '\r' && !await PeekIsAsync('\n', cancellationToken))) _line++;
                        field.Append(c);
                    }

                    continue;
                }

                switch (c)
                {
                    case '"' when fieldStart:
                        quoted = true;
                        fieldStart = false;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldStart = true;
                        break;
                    case '\r':
                        if (await PeekIsAsync('\n', cancellationToken)) _position++;
                        _line++;
                        fields.Add(field.ToString());
                        return (startLine, fields);
                    case '\n':
                        _line++;
                        fields.Add(field.ToString());
                        return (startLine, fields);
                    default:
                        field.Append(c);
                        fieldStart = false;
                        break;
                }
            }

            fields.Add(field.ToString());
            return (startLine, fields);
        }

        private async Task<bool> PeekIsAsync(char expected, CancellationToken cancellationToken) =>
            await EnsureAsync(cancellationToken) && _buffer[_position] == expected;

        private async Task<bool> EnsureAsync(CancellationToken cancellationToken)
        {
            if (_position < _length) return true;
            if (_end) return false;
            _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
            _position = 0;
            _end = _length == 0;
            return !_end;
        }
    }
}

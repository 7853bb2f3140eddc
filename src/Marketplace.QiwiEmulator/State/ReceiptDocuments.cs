using System.Globalization;
using System.Text;

namespace Marketplace.QiwiEmulator.State;

/// <summary>
/// Receipt files for payment-history cheque/file (contract §3.5): a one-page PDF with the
/// transaction's details, or a small grey-scale JPEG of a receipt slip. Both are built here byte by
/// byte (no imaging library), and both are complete, valid files that viewers open.
/// </summary>
public static class ReceiptDocuments
{
    public static byte[] Pdf(EmulatorTransaction transaction)
    {
        var lines = Lines(transaction);
        var content = new StringBuilder("BT /F1 16 Tf 50 780 Td (QIWI Wallet receipt) Tj /F1 11 Tf");
        foreach (var line in lines) content.Append(CultureInfo.InvariantCulture, $" 0 -22 Td ({PdfText(line)}) Tj");
        content.Append(" ET");
        var stream = Encoding.ASCII.GetBytes(content.ToString());

        var objects = new List<byte[]>
        {
            Encoding.ASCII.GetBytes("<< /Type /Catalog /Pages 2 0 R >>"),
            Encoding.ASCII.GetBytes("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Encoding.ASCII.GetBytes("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
            Encoding.ASCII.GetBytes("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
            Encoding.ASCII.GetBytes($"<< /Length {stream.Length} >>\nstream\n").Concat(stream).Concat(Encoding.ASCII.GetBytes("\nendstream")).ToArray(),
        };

        using var output = new MemoryStream();
        void Write(string text) => output.Write(Encoding.ASCII.GetBytes(text));
        Write("%PDF-1.4\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write($"{i + 1} 0 obj\n");
            output.Write(objects[i]);
            Write("\nendobj\n");
        }

        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Write($"{offset.ToString("0000000000", CultureInfo.InvariantCulture)} 00000 n \n");
        Write($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref.ToString(CultureInfo.InvariantCulture)}\n%%EOF\n");
        return output.ToArray();
    }

    /// <summary>
    /// A baseline JPEG (grey-scale, 8-bit) of a receipt slip: a white page with a dark header band and one grey
    /// bar per line of the receipt, its length following the line's. Every 8×8 block is one flat tone, so
    /// each block needs only its DC coefficient: standard luminance DC Huffman table, an AC table holding end-of-block only.
    /// </summary>
    public static byte[] Jpeg(EmulatorTransaction transaction)
    {
        const int blocksWide = 40, blocksHigh = 30; // 320 × 240 pixels
        var lines = Lines(transaction);
        var tones = new byte[blocksHigh, blocksWide];
        for (var y = 0; y < blocksHigh; y++)
        for (var x = 0; x < blocksWide; x++)
        {
            var tone = (byte)255;
            if (y is 1 or 2 && x is >= 2 and < 38) tone = 255 - 200; // header band
            var line = (y - 5) / 3;
            if (y >= 5 && (y - 5) % 3 == 0 && line < lines.Count && x >= 2 && x < 2 + Math.Min(36, lines[line].Length / 2 + 1)) tone = 150;
            tones[y, x] = tone;
        }

        using var output = new MemoryStream();
        void Bytes(params byte[] values) => output.Write(values);
        void Segment(byte marker, byte[] body)
        {
            Bytes(0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2));
            output.Write(body);
        }

        Bytes(0xFF, 0xD8); // SOI
        Segment(0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]); // JFIF 1.1, no thumbnail
        Segment(0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]); // quantisation table 0: all ones
        const int width = blocksWide * 8, height = blocksHigh * 8;
        Segment(0xC0, [8, height >> 8, height & 0xFF, width >> 8, width & 0xFF, 1, 1, 0x11, 0]); // SOF0, one component
        Segment(0xC4, [0x00, .. DcBits, .. DcValues]); // DC table 0
        Segment(0xC4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]); // AC table 0: EOB = "0"
        Segment(0xDA, [1, 1, 0x00, 0, 63, 0]); // SOS

        var bits = new BitWriter(output);
        var previous = 0;
        for (var y = 0; y < blocksHigh; y++)
        for (var x = 0; x < blocksWide; x++)
        {
            var dc = 8 * (tones[y, x] - 128); // the DC coefficient of a flat block
            var diff = dc - previous;
            previous = dc;
            var magnitude = Math.Abs(diff);
            var category = magnitude == 0 ? 0 : 32 - int.LeadingZeroCount(magnitude);
            bits.Write(DcCodes[category].Code, DcCodes[category].Length);
            if (category > 0) bits.Write(diff > 0 ? diff : diff + (1 << category) - 1, category);
            bits.Write(0, 1); // EOB
        }

        bits.Flush();
        Bytes(0xFF, 0xD9); // EOI
        return output.ToArray();
    }

    /// <summary>The receipt's lines, ASCII only (the PDF uses a standard font).</summary>
    public static IReadOnlyList<string> Lines(EmulatorTransaction t)
    {
        static string Ascii(string? text) => new((text ?? "").Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        var amount = t.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        var total = (t.Amount + t.Commission).ToString("0.00", CultureInfo.InvariantCulture);
        return
        [
            $"Transaction: {t.TxnId.ToString(CultureInfo.InvariantCulture)}",
            $"Date: {Wire.QiwiWire.Date(t.Date, Wire.QiwiWire.Moscow)}",
            $"Type: {t.Type}   Status: {t.Status}",
            $"Wallet: +{t.PersonId.ToString(CultureInfo.InvariantCulture)}",
            $"Account: {Ascii(t.Account)}",
            $"Amount: {amount}   Commission: {t.Commission.ToString("0.00", CultureInfo.InvariantCulture)}   Total: {total}   Currency: {t.Currency.ToString(CultureInfo.InvariantCulture)}",
            $"Comment: {Ascii(t.Comment)}",
        ];
    }

    private static string PdfText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal);

    // ITU T.81 Annex K.3, table K.3: luminance DC differences.
    private static readonly byte[] DcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly (int Code, int Length)[] DcCodes = BuildCodes(DcBits, DcValues);

    private static (int Code, int Length)[] BuildCodes(byte[] counts, byte[] values)
    {
        var codes = new (int, int)[values.Length];
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++) codes[values[k++]] = (code++, length);
            code <<= 1;
        }

        return codes;
    }

    /// <summary>Entropy-coded bits, most significant first, with 0xFF byte stuffing and 1-bit padding at the end.</summary>
    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) Write(1, 1);
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF) output.WriteByte(0);
            _buffer = 0;
            _count = 0;
        }
    }
}

using System.Text;

namespace Marketplace.Bench.Reporting;

/// <summary>A small markdown table, printed at the end of a run and pasted into docs/benchmarks.md.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        Line(headers);
        Line(headers.Select(_ => "---").ToArray());
        foreach (var row in _rows) Line(row);
        return text.ToString();

        void Line(string[] cells) => text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
    }
}

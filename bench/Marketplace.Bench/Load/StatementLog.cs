using System.Text;
using System.Text.RegularExpressions;

namespace Marketplace.Bench.Load;

/// <summary>One statement as PostgreSQL logged it (log_statement=all): backend pid, text, and its parameters as SQL literals ($1 first).</summary>
public sealed record LoggedStatement(int Pid, string Sql, IReadOnlyList<string> Parameters);

/// <summary>
/// Reads the statements of one database out of a PostgreSQL stderr log written with
/// <c>log_statement=all</c> and <c>log_line_prefix='%m [%p] %x %d '</c>: "statement: ..." (simple protocol) and
/// "execute &lt;name&gt;: ..." (extended protocol, Npgsql's), each followed by "DETAIL:  parameters: $1 = '...', ..."
/// when it has parameters. Continuation lines of a multi-line statement start with a tab.
/// </summary>
public static partial class StatementLog
{
    public const string LinePrefix = "%m [%p] %x %d ";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(?<pid>\d+)\] (?<xid>\d+) (?<db>\S*) (?<level>[A-Z]+\d?):  (?<message>.*)$")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"^(?:statement|execute [^:]*): (?<sql>.*)$", RegexOptions.Singleline)]
    private static partial Regex StatementPattern();

    [GeneratedRegex(@"\$(?<n>\d+) = (?<value>'(?:[^']|'')*'|NULL)", RegexOptions.Singleline)]
    private static partial Regex ParameterPattern();

    public static List<LoggedStatement> Parse(string text, string database)
    {
        var entries = new List<(int Pid, string Db, string Level, StringBuilder Message)>();
        foreach (var line in text.Split('\n'))
        {
            var match = EntryPattern().Match(line);
            if (match.Success)
            {
                entries.Add((int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["db"].Value,
                    match.Groups["level"].Value, new StringBuilder(match.Groups["message"].Value)));
            }
            else if (line.StartsWith('\t') && entries.Count > 0)
            {
                entries[^1].Message.Append('\n').Append(line.AsSpan(1));
            }
        }

        var statements = new List<LoggedStatement>();
        var open = new Dictionary<int, int>(); // pid -> index of its last statement, waiting for a DETAIL line
        foreach (var (pid, db, level, message) in entries)
        {
            if (db != database) continue;
            var text2 = message.ToString();
            if (level == "LOG" && StatementPattern().Match(text2) is { Success: true } statement)
            {
                statements.Add(new LoggedStatement(pid, statement.Groups["sql"].Value.Trim(), []));
                open[pid] = statements.Count - 1;
            }
            else if (level == "DETAIL" && text2.StartsWith("parameters: ", StringComparison.Ordinal) && open.TryGetValue(pid, out var index))
            {
                var values = ParameterPattern().Matches(text2)
                    .OrderBy(m => int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture))
                    .Select(m => m.Groups["value"].Value).ToList();
                statements[index] = statements[index] with { Parameters = values };
                open.Remove(pid);
            }
            else
            {
                open.Remove(pid);
            }
        }

        return statements;
    }

    /// <summary>The value of a logged literal: 'it''s' becomes it's; NULL becomes null.</summary>
    public static string? Unquote(string literal) =>
        literal == "NULL" ? null : literal[1..^1].Replace("''", "'", StringComparison.Ordinal);
}

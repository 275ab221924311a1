using DuckDB.NET.Data;

// read-floor DB: the papers per month and model family from the rollup, as CSV on stdout.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: read-floor DATABASE");
    return 2;
}
using var connection = new DuckDBConnection($"Data Source={args[0]};ACCESS_MODE=READ_ONLY");
connection.Open();
using var command = connection.CreateCommand();
command.CommandText = """
    select date_trunc('month', list_date) as month, tag_id, sum(papers) as papers
    from tag_daily
    where kind = 'family'
    group by all
    order by month, tag_id
    """;
using var reader = command.ExecuteReader();
var output = Console.Out;
while (reader.Read())
    output.WriteLine($"{reader.GetDateTime(0):yyyy-MM},{reader.GetValue(1)},{reader.GetInt64(2)}");
return 0;

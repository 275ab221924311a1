namespace TrendLens.Cli.Web.Components;

/// <summary>A link on a page: its text, its address, its relation, and whether it downloads.</summary>
public sealed record PageLink(string Text, string Href, string? Rel = null, bool Download = false);

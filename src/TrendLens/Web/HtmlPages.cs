using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrendLens.Cli.Web;

/// <summary>
/// Renders a page component (Pages/) to HTML with the framework's <see cref="HtmlRenderer"/>,
/// which encodes every value. The endpoints read the data first and hand the page only values to
/// show, so rendering never touches the database and a failure happens before the response starts.
/// </summary>
/// <remarks>
/// Not <c>RazorComponentResult</c>: its services bring antiforgery and data protection, which keep
/// a key ring on disk for forms these pages do not have; and a rendered page is a string the render
/// cache can hold.
/// </remarks>
public static class HtmlPages
{
    /// <summary>The page as a 200 <c>text/html</c> answer; <paramref name="parameters"/> as for <see cref="Render{TPage}"/>.</summary>
    public static IResult Page<TPage>(HttpContext http, object parameters) where TPage : IComponent =>
        Results.Content(Render<TPage>(http.RequestServices, parameters), "text/html; charset=utf-8");

    /// <summary>
    /// The HTML of <typeparamref name="TPage"/>, its parameters the properties of
    /// <paramref name="parameters"/> (an anonymous object), its injected services from <paramref name="services"/>.
    /// </summary>
    public static string Render<TPage>(IServiceProvider services, object parameters) where TPage : IComponent
    {
        var values = parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, p => p.GetValue(parameters));
        using var renderer = new HtmlRenderer(services, services.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        // The pages render synchronously, so the renderer's dispatcher runs this on the calling thread.
        return renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(values))).ToHtmlString())
            .GetAwaiter().GetResult();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SonoSynth.Curation;
using static SonoSynth.Cli.Curation.CurationApi;

namespace SonoSynth.Cli.Curation;

/// <summary>
/// The local curation web page: Kestrel on 127.0.0.1 only, one self-contained HTML page and a small JSON API.
/// Every label goes straight into the <see cref="LabelStore"/> (on disk before the reply is sent). Start it,
/// show <see cref="Url"/> to the user, and stop it with <see cref="StopAsync"/> (the store's lock is released).
/// </summary>
public sealed class CurationServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private bool stopped;

    private CurationServer(WebApplication app, SyntheticImageSet images, LabelStore store, string url)
    {
        this.app = app;
        Images = images;
        Store = store;
        Url = url;
    }

    /// <summary>The page's address, e.g. http://127.0.0.1:41234/.</summary>
    public string Url { get; }
    public SyntheticImageSet Images { get; }
    public LabelStore Store { get; }

    /// <summary>Loads the images, opens (and locks) the label store, and starts listening.</summary>
    public static CurationServer Start(CurationServerOptions options)
    {
        if (options.Port is < 0 or > 65535)
            throw new ArgumentException($"--port {options.Port}: must be 0 (pick a free one) or 1..65535.");
        var images = SyntheticImageSet.Load(options.ImageFolder);
        var store = LabelStore.Open(options.LabelFolder, options.Annotator);
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Production,
            });
            builder.Logging.ClearProviders();
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            // Loopback only: the page can label, so nothing off this machine may reach it.
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
            builder.Services.ConfigureHttpJsonOptions(o =>
                o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
            var app = builder.Build();
            MapEndpoints(app, images, store);
            app.StartAsync().GetAwaiter().GetResult();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new CurationServer(app, images, store, address.TrimEnd('/') + "/");
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            store.Dispose();
            throw new IOException($"Port {options.Port} on 127.0.0.1 is taken. Pass another --port, or --port 0 to pick a free one.", e);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the server stops: Ctrl+C / SIGTERM (the host's console lifetime), or <see cref="StopAsync"/>.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public async Task StopAsync()
    {
        if (stopped) return;
        stopped = true;
        await app.StopAsync();
        await app.DisposeAsync();
        Store.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static void MapEndpoints(WebApplication app, SyntheticImageSet images, LabelStore store)
    {
        // A page on another site could point a browser at 127.0.0.1 through its own host name (DNS rebinding);
        // answering only our own host names stops that.
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host.Host;
            if (host is not ("127.0.0.1" or "localhost"))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            context.Response.Headers.CacheControl = "no-store";
            await next();
        });

        app.MapGet("/", () => Results.Content(CurationPage.Html, "text/html; charset=utf-8"));

        app.MapGet("/api/progress", () => Results.Json(ProgressOf(images, store)));

        app.MapGet("/api/next", () => Results.Json(new NextResponse(NextUnlabelled(images, store), ProgressOf(images, store))));

        app.MapGet("/api/image/{**id}", (string id) =>
        {
            // Only ids from the set are served, so a crafted path can never reach other files.
            var image = images.Find(id);
            return image is null
                ? Results.NotFound(new ErrorResponse($"No image '{id}' in this set."))
                : Results.File(image.FullPath, "image/png");
        });

        app.MapPost("/api/label", (LabelRequest request) =>
        {
            if (request.Id is null || images.Find(request.Id) is null)
                return Results.BadRequest(new ErrorResponse($"No image '{request.Id}' in this set."));
            if (!CurationVerdicts.TryParse(request.Verdict, out var verdict))
                return Results.BadRequest(new ErrorResponse($"Unknown verdict '{request.Verdict}'; use good, bad or skip."));
            store.Label(request.Id, verdict);
            return Results.Json(new LabelResponse(request.Id, verdict.ToWord(), NextUnlabelled(images, store),
                ProgressOf(images, store)));
        });

        app.MapPost("/api/undo", (UndoRequest _) =>
        {
            var undone = store.Undo();
            int position = undone is null ? -1 : images.IndexOf(undone.Image);
            var show = position >= 0 ? ViewOf(images, store, images.Images[position], position) : NextUnlabelled(images, store);
            return Results.Json(new UndoResponse(undone?.Image, undone?.Action, show, ProgressOf(images, store)));
        });
    }
}

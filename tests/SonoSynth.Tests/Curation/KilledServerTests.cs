using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using SonoSynth.Cli.Commands;
using SonoSynth.Curation;

namespace SonoSynth.Tests.Curation;

public class KilledServerTests
{
    [Fact]
    public async Task EveryAcknowledgedLabelSurvivesKillingTheServerProcess()
    {
        using var images = new SyntheticFolder(imagesPerKind: 3);
        var cli = typeof(CurateCommands).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["exec", cli, "curate", "serve", images.Root, "--port", "0", "--annotator", "carol"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var server = Process.Start(start)!;
        try
        {
            var url = await ReadUrl(server);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var ids = new List<string>();
            for (int i = 0; i < 4; i++)
            {
                var next = await http.GetFromJsonAsync<NextImage>("api/next");
                ids.Add(next!.Image!.Id);
                var reply = await http.PostAsJsonAsync("api/label", new { id = next.Image.Id, verdict = i % 2 == 0 ? "good" : "bad" });
                reply.EnsureSuccessStatusCode();
            }
            (await http.PostAsJsonAsync("api/undo", new { })).EnsureSuccessStatusCode();

            server.Kill(); // SIGKILL: no shutdown code runs
            await server.WaitForExitAsync();

            var store = LabelStore.ReadOnly(images.Labels);
            Assert.Empty(store.Warnings);
            Assert.Equal(["good", "bad", "good", "bad", "undo"], store.Records.Select(r => r.Action));
            Assert.Equal(ids, store.Records.Take(4).Select(r => r.Image));
            Assert.All(store.Records, r => Assert.Equal("carol", r.Annotator));
            Assert.Equal(3, store.Current.Count);
            // The OS released the dead server's folder lock: a new server may take over.
            using var reopened = LabelStore.Open(images.Labels, "carol");
        }
        finally
        {
            if (!server.HasExited) server.Kill();
        }
    }

    private static async Task<string> ReadUrl(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = Regex.Match(line, @"http://127\.0\.0\.1:\d+/");
            if (match.Success) return match.Value;
        }
        throw new Xunit.Sdk.XunitException("The server exited before printing its URL: " + await server.StandardError.ReadToEndAsync());
    }

    private sealed record NextImage(ImageRef? Image);
    private sealed record ImageRef(string Id);
}

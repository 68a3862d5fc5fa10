using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using SonoSynth.Cli.Curation;
using SonoSynth.Curation;

namespace SonoSynth.Tests.Curation;

/// <summary>
/// The curation page in a real headless Chromium (Debian's chromium + chromium-driver), as a curator uses it:
/// keyboard labels, undo, reload, and the label journal on disk.
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "System")]
public class CurationPageBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string DriverFolder = "/usr/bin";
    private const string DriverName = "chromedriver";

    [SystemFact(SystemRequirement.Chromium)]
    public async Task KeyboardLabelsAndUndoReachTheStoreAndSurviveAReload()
    {
        using var images = new SyntheticFolder(imagesPerKind: 3);
        await using var server = CurationServer.Start(new CurationServerOptions(images.Root, images.Labels, "dana"));
        var order = server.Images.Images.Select(i => i.Id).ToList();
        using var driver = StartBrowser();

        driver.Navigate().GoToUrl(server.Url);
        WaitUntilIdle(driver);
        Assert.Equal(order[0], driver.FindElement(By.Id("image")).GetAttribute("alt"));
        Assert.Equal("Fetal brain", driver.FindElement(By.Id("class-name")).Text);
        Assert.Equal("0 of 6 labelled · good 0 · bad 0 · skipped 0", driver.FindElement(By.Id("progress-text")).Text);

        // g: image 1 good; b: image 2 bad; u: withdraws that, image 2 is shown again; g: image 2 good.
        foreach (var key in new[] { "g", "b", "u", "g" })
            new Actions(driver).SendKeys(key).Perform();
        WaitUntilIdle(driver);

        var records = LabelStore.ReadOnly(images.Labels).Records;
        Assert.Equal(["good", "bad", "undo", "good"], records.Select(r => r.Action));
        Assert.Equal([order[0], order[1], order[1], order[1]], records.Select(r => r.Image));
        Assert.All(records, r => Assert.Equal("dana", r.Annotator));

        driver.Navigate().Refresh();
        WaitUntilIdle(driver);
        Assert.Equal("2 of 6 labelled · good 2 · bad 0 · skipped 0", driver.FindElement(By.Id("progress-text")).Text);
        Assert.Equal(order[2], driver.FindElement(By.Id("image")).GetAttribute("alt"));
        Assert.Equal("Fetal brain", driver.FindElement(By.Id("class-name")).Text);
        // The PNG itself arrived (a broken image has natural width 0); 32 px synthetic images.
        var width = ((IJavaScriptExecutor)driver).ExecuteScript(
            "const i = document.getElementById('image'); return i.complete ? i.naturalWidth : -1;");
        Assert.Equal(32L, Convert.ToInt64(width));
    }

    private static ChromeDriver StartBrowser()
    {
        SystemRequirements.Require(SystemRequirement.Chromium);
        // Both paths given, so Selenium never tries to download a driver (there is no network here).
        var service = ChromeDriverService.CreateDefaultService(DriverFolder, DriverName);
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until the page has loaded and answered every action (body[data-pending] = 0).</summary>
    private static void WaitUntilIdle(IWebDriver driver)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var body = driver.FindElement(By.TagName("body"));
            if (body.GetAttribute("data-ready") == "true" && body.GetAttribute("data-pending") == "0") return;
            Thread.Sleep(50);
        }
        var status = driver.FindElement(By.Id("status")).Text;
        throw new Xunit.Sdk.XunitException($"The page did not finish its requests within 20 s (status: '{status}').");
    }
}

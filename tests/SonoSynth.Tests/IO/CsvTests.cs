using SonoSynth.IO;

namespace SonoSynth.Tests.IO;

public class CsvTests
{
    [Fact]
    public void FieldsAreQuotedOnlyWhenTheyMustBeAndSplitBack()
    {
        string[] fields = ["round0/fetal_brain/1.png", "Fetal brain", "a,b", "say \"hi\"", ""];
        var line = Csv.Join(fields);
        // RFC 4180: quote a field holding a comma or quote, double the quotes inside.
        Assert.Equal("round0/fetal_brain/1.png,Fetal brain,\"a,b\",\"say \"\"hi\"\"\",", line);
        Assert.Equal(fields, Csv.Split(line));
    }

    [Fact]
    public void AnUnclosedQuoteIsReportedAndAQuoteInsideAFieldIsKept()
    {
        Assert.Null(Csv.Split("a,\"b,c"));
        Assert.Equal(["5\" probe", "x"], Csv.Split("5\" probe,x"));
    }
}

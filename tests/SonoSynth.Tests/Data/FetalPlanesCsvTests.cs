using SonoSynth.Data;

namespace SonoSynth.Tests.Data;

public class FetalPlanesCsvTests
{
    private const string Header = "Image_name;Patient_num;Plane;Brain_plane;Operator;US_Machine;Train ";

    private static string[] ValidLines() =>
    [
        Header,
        "Patient00001_Plane1_1_of_2;1;Fetal abdomen;Not A Brain;Op. 1;Aloka;1 ",
        "Patient00001_Plane2_1_of_2;1;Fetal brain;Trans-thalamic;Op. 1;Aloka;1 ",
        "Patient00002_Plane3_1_of_1;2;Fetal femur;Not A Brain;Op. 2;Voluson E6;0 ",
        "Patient00002_Plane4_1_of_1;2;Fetal thorax;Not A Brain;Op. 2;Voluson E6;0 ",
        "Patient00003_Plane5_1_of_1;3;Maternal cervix;Not A Brain;Other;Other;1 ",
        "Patient00003_Plane6_1_of_1;3;Other;Not A Brain;Other;Other;1 ",
    ];

    [Fact]
    public void ParsesThePublishedFormatWithTrailingSpaces()
    {
        var records = FetalPlanesCsv.Parse(ValidLines(), "test.csv");
        Assert.Equal(6, records.Count);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, records.Select(r => r.Label));
        Assert.Equal(new[] { true, true, false, false, true, true }, records.Select(r => r.OfficialTrain));
        Assert.Equal(new[] { 1, 1, 2, 2, 3, 3 }, records.Select(r => r.PatientNumber));
        Assert.Equal("Trans-thalamic", records[1].BrainPlane);
        Assert.Equal(3, records[1].LineNumber);
    }

    [Fact]
    public void WriteThenReadRoundTripsAndKeepsTheTrailingSpaces()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(FetalPlanesCsv.FileName);
        var records = FetalPlanesCsv.Parse(ValidLines(), "test.csv");
        FetalPlanesCsv.Write(path, records);
        Assert.Equal(ValidLines(), File.ReadAllLines(path));
        Assert.Equal(records, FetalPlanesCsv.Read(path));
    }

    [Theory]
    [InlineData("Image_name,Patient_num,Plane,Brain_plane,Operator,US_Machine,Train", "wrong column set")]
    [InlineData("Image_name;Patient;Plane;Brain_plane;Operator;US_Machine;Train ", "missing: Patient_num")]
    [InlineData("Image_name;Plane;Patient_num;Brain_plane;Operator;US_Machine;Train ", "different order")]
    public void WrongColumnSetNamesLineOne(string header, string expected)
    {
        var lines = ValidLines();
        lines[0] = header;
        var error = Assert.Throws<InputError>(() => FetalPlanesCsv.Parse(lines, "data.csv"));
        Assert.StartsWith("data.csv line 1: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Patient00009_Plane1_1_of_1;9;Fetal kidney;Not A Brain;Op. 1;Aloka;1 ", "unknown plane 'Fetal kidney'")]
    [InlineData("Patient00009_Plane1_1_of_1;9;fetal brain;Not A Brain;Op. 1;Aloka;1 ", "unknown plane 'fetal brain'")]
    [InlineData("Patient00009_Plane1_1_of_1;nine;Fetal brain;Not A Brain;Op. 1;Aloka;1 ", "Patient_num 'nine' is not an integer")]
    [InlineData("Patient00009_Plane1_1_of_1;9.5;Fetal brain;Not A Brain;Op. 1;Aloka;1 ", "Patient_num '9.5' is not an integer")]
    [InlineData("Patient00009_Plane1_1_of_1;9;Fetal brain;Not A Brain;Op. 1;1 ", "expected 7 ';'-separated fields")]
    [InlineData("Patient00009_Plane1_1_of_1;9;Fetal brain;Not A Brain;Op. 1;Aloka;1 ;x", "but found 8")]
    [InlineData("Patient00009_Plane1_1_of_1;9;Fetal brain;Not A Brain;Op. 1;Aloka;yes", "Train 'yes' must be 1")]
    [InlineData(";9;Fetal brain;Not A Brain;Op. 1;Aloka;1 ", "Image_name is empty")]
    [InlineData("../escape;9;Fetal brain;Not A Brain;Op. 1;Aloka;1 ", "must be a plain file name")]
    [InlineData("Patient00001_Plane1_1_of_2;1;Fetal abdomen;Not A Brain;Op. 1;Aloka;1 ", "already appeared on line 2")]
    public void MalformedRowErrorNamesFileAndLine(string row, string expected)
    {
        var lines = ValidLines().ToList();
        lines.Insert(4, row); // becomes line 5 of the file
        var error = Assert.Throws<InputError>(() => FetalPlanesCsv.Parse(lines, "data.csv"));
        Assert.StartsWith("data.csv line 5: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AClassWithoutRowsIsNamed()
    {
        var lines = ValidLines().Where(l => !l.Contains("Fetal femur")).ToArray();
        var error = Assert.Throws<InputError>(() => FetalPlanesCsv.Parse(lines, "data.csv"));
        Assert.Contains("no rows for class 'Fetal femur'", error.Message);
        Assert.Equal(5, FetalPlanesCsv.Parse(lines, "data.csv", requireEveryClass: false).Count);
    }

    [Fact]
    public void EmptyFileAndHeaderOnlyAreExplained()
    {
        Assert.Contains("empty", Assert.Throws<InputError>(() => FetalPlanesCsv.Parse([], "data.csv")).Message);
        Assert.Contains("no image rows", Assert.Throws<InputError>(() => FetalPlanesCsv.Parse([Header], "data.csv")).Message);
    }

    [Fact]
    public void MissingFileSaysWhatToPass()
    {
        var error = Assert.Throws<InputError>(() => FetalPlanesCsv.Read("/nonexistent/FETAL_PLANES_DB_data.csv"));
        Assert.Contains("/nonexistent/FETAL_PLANES_DB_data.csv", error.Message);
    }
}

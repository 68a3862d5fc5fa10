using SonoSynth.Tests.Training;
using SonoSynth.TrainingKit;
using TorchSharp;

namespace SonoSynth.Tests.TrainingKit;

public class CheckpointFileTests
{
    private sealed record Header(string Kind, long Step);

    private static void WriteTwoSections(string path, torch.Generator rng) =>
        CheckpointFile.Save(path, new Header("test", 42), sections =>
        {
            sections.Section("numbers", w => { w.Write(7); w.Write(3.5); });
            sections.RandomStates(rng);
        });

    [Fact]
    public void Named_sections_and_random_states_round_trip()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("checkpoint.bin");
        using var rng = new torch.Generator(5);
        torch.rand(3, generator: rng).Dispose();
        WriteTwoSections(path, rng);
        using var expected = torch.rand(4, generator: rng);

        using var restored = new torch.Generator(999);
        (int, double) numbers = default;
        var header = CheckpointFile.Load<Header>(path, (_, sections) =>
        {
            sections.Section("numbers", r => numbers = (r.ReadInt32(), r.ReadDouble()));
            sections.RandomStates(restored);
        });

        Assert.Equal(new Header("test", 42), header);
        Assert.Equal((7, 3.5), numbers);
        using var actual = torch.rand(4, generator: restored);
        Assert.True(expected.eq(actual).all().item<bool>(), "the restored generator draws other numbers");
    }

    [Fact]
    public void A_section_read_under_another_name_or_length_is_refused()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("checkpoint.bin");
        using var rng = new torch.Generator(5);
        WriteTwoSections(path, rng);

        var wrongName = Assert.Throws<InputError>(() => CheckpointFile.Load<Header>(path, (_, sections) => sections.Section("model", _ => { })));
        Assert.Contains("'numbers' section where 'model' was expected", wrongName.Message);
        var shortRead = Assert.Throws<InputError>(() => CheckpointFile.Load<Header>(path, (_, sections) => sections.Section("numbers", r => r.ReadInt32())));
        Assert.Contains("holds 12 bytes but 4 were read", shortRead.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused_with_its_path()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("checkpoint.bin");
        File.WriteAllText(path, "not a checkpoint");
        var error = Assert.Throws<InputError>(() => CheckpointFile.Load<Header>(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a SonoSynth checkpoint", error.Message);
    }
}

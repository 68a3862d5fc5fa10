using System.Text;
using SonoSynth.Quality;
using SonoSynth.Quality.Inputs;
using SonoSynth.Interop;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Interop;

public class NumpyFilesTests
{
    /// <summary>Bytes of np.save(f, np.array([[1,2,3],[4,5,6]], dtype='&lt;f4', order='F')) written by hand.</summary>
    private static byte[] FortranOrderFloat32Npy()
    {
        var header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
        header = header.PadRight(64 - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange([1, 0, (byte)header.Length, 0]);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        // Fortran order stores columns: 1,4, 2,5, 3,6.
        foreach (var v in new float[] { 1, 4, 2, 5, 3, 6 }) bytes.AddRange(BitConverter.GetBytes(v));
        return bytes.ToArray();
    }

    [Fact]
    public void ReadsHandWrittenFortranOrderFloat32Array()
    {
        using var stream = new MemoryStream(FortranOrderFloat32Npy());
        using var values = NpyFile.ReadTensor(stream, "test.npy");
        Assert.Equal(new long[] { 2, 3 }, values.shape);
        Assert.Equal(ScalarType.Float64, values.dtype);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, values.data<double>().ToArray());
    }

    [Fact]
    public void WrittenHeaderIsAlignedTo64BytesAsNumpyWrites()
    {
        using var stream = new MemoryStream();
        using var values = tensor(new double[] { 1.5, -2 });
        NpyFile.WriteTensor(stream, values);
        var bytes = stream.ToArray();
        int headerLength = bytes[8] | bytes[9] << 8;
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        Assert.Equal(1.5, BitConverter.ToDouble(bytes, 10 + headerLength));
    }

    [Fact]
    public void StatisticsRoundTripThroughNpzWithExtractorRecorded()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("stats.npz");
        using var generator = new Generator(3);
        using var features = randn([20, 5], dtype: ScalarType.Float64, generator: generator);
        using var stats = FeatureStatistics.FromFeatures(features);
        StatisticsFile.Write(path, stats, "inception-v3-fid-2015-12-05");

        using var input = StatisticsInput.Read(path);
        Assert.Equal("inception-v3-fid-2015-12-05", input.ExtractorId);
        Assert.Equal(20, input.Statistics.Count);
        Assert.True(input.Statistics.Mean.equal(stats.Mean).all().item<bool>());
        Assert.True(input.Statistics.Covariance.equal(stats.Covariance).all().item<bool>());
        Assert.Equal(0, FrechetDistance.Compute(stats, input.Statistics), 1e-9);
    }

    [Fact]
    public void NpzWithoutMuAndSigmaNamesWhatItHas()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("bad.npz");
        using var values = zeros(3, dtype: ScalarType.Float64);
        NpzFile.Write(path, new Dictionary<string, Tensor> { ["mean"] = values });
        var error = Assert.Throws<InputError>(() => StatisticsInput.Read(path));
        Assert.Contains("'mu' and 'sigma'", error.Message);
        Assert.Contains("mean", error.Message);
    }
}

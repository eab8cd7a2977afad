using Quiver.Analysis.Classification;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Analysis.Tests.Classification;

public sealed class ClassifierStoreTests : IDisposable
{
    private static readonly EmbeddingSpace Space = new(new ModelReference("tiny", null, "abc123"), 4, DistanceMetric.Cosine, true) { DocumentPrompt = "doc: " };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ClassifierManifest Manifest(string name, ClassifierMethod method) => new()
    {
        Name = name,
        Method = method,
        Model = "tiny",
        Space = Space,
        Classes = [],
        ClassCounts = [20, 20, 20],
        C = method == ClassifierMethod.Logistic ? 1.0 : null,
        K = method == ClassifierMethod.Knn ? 3 : null,
    };

    [Theory]
    [InlineData(ClassifierMethod.Logistic)]
    [InlineData(ClassifierMethod.Knn)]
    public void A_saved_classifier_predicts_what_it_did_before_saving(ClassifierMethod method)
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 20, dimensions: 4, spread: 1.5);
        IVectorClassifier trained = method == ClassifierMethod.Logistic ? LogisticRegression.Fit(data) : KnnClassifier.Fit(data, 3);
        var store = new ClassifierStore(_folder.Path);

        store.Save(Manifest("topics", method), trained);
        var opened = store.Open("topics");

        Assert.Equal(data.Classes, opened.Manifest.Classes);
        Assert.Equal(Space, opened.Manifest.Space);
        Assert.Equal("doc: ", opened.Manifest.Space.DocumentPrompt);
        var before = trained.PredictAll(data.Vectors);
        var after = opened.Predict(data.Vectors, Space);
        for (var i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], after[i], (a, b) => Math.Abs(a - b) < 1e-6);
        }

        Assert.Equal(["topics"], store.List().Select(m => m.Name));
        Assert.DoesNotContain(Directory.EnumerateDirectories(_folder.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Vectors_of_another_space_are_refused_with_both_spaces_named()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 10, dimensions: 4, spread: 1);
        var store = new ClassifierStore(_folder.Path);
        store.Save(Manifest("topics", ClassifierMethod.Logistic), LogisticRegression.Fit(data));
        var opened = store.Open("topics");

        var other = Assert.Throws<QuiverException>(() => opened.Predict(data.Vectors, Space with { Model = new ModelReference("glove-100", null, "ffff") }));
        var dims = Assert.Throws<QuiverException>(() => opened.Predict(new float[8], Space with { Dimensions = 8 }));

        Assert.Contains("'topics'", other.Message);
        Assert.Contains("tiny@abc123", other.Message);
        Assert.Contains("glove-100@ffff", other.Message);
        Assert.Contains("8-d", dims.Message);
    }

    [Fact]
    public void An_existing_name_is_kept_unless_replaced_and_a_failed_save_leaves_no_folder()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 10, dimensions: 4, spread: 1);
        var store = new ClassifierStore(_folder.Path);
        var first = store.Save(Manifest("topics", ClassifierMethod.Knn), KnnClassifier.Fit(data, 3));

        var again = Assert.Throws<QuiverException>(() => store.Save(Manifest("topics", ClassifierMethod.Logistic), LogisticRegression.Fit(data)));
        var zeroShot = new ZeroShotClassifier(data.Classes, 4, new float[12].Select((_, i) => i % 5 == 0 ? 1f : 0f).ToArray());
        var unsaveable = Assert.Throws<QuiverException>(() => store.Save(Manifest("zs", ClassifierMethod.ZeroShot), zeroShot));
        var badName = Assert.Throws<QuiverException>(() => store.Save(Manifest("../x", ClassifierMethod.Knn), KnnClassifier.Fit(data, 3)));

        Assert.Contains("--force", again.Message);
        Assert.Contains("only logistic regression and kNN", unsaveable.Message);
        Assert.Contains("not a valid classifier name", badName.Message);
        Assert.Equal(["topics"], Directory.EnumerateDirectories(_folder.Path).Select(Path.GetFileName));
        Assert.Equal(first.WeightsSha256, store.ReadManifest("topics").WeightsSha256);

        var replaced = store.Save(Manifest("topics", ClassifierMethod.Logistic), LogisticRegression.Fit(data), replace: true);
        Assert.Equal(ClassifierMethod.Logistic, store.Open("topics").Manifest.Method);
        Assert.NotEqual(first.WeightsSha256, replaced.WeightsSha256);
        Assert.Equal(["topics"], Directory.EnumerateDirectories(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_unknown_name_and_damaged_weights_are_named()
    {
        var data = ClassificationData.Blobs(classes: 3, perClass: 10, dimensions: 4, spread: 1);
        var store = new ClassifierStore(_folder.Path);
        store.Save(Manifest("topics", ClassifierMethod.Logistic), LogisticRegression.Fit(data));

        var unknown = Assert.Throws<QuiverException>(() => store.Open("topcis"));
        var weights = Path.Combine(_folder.Path, "topics", "weights.npy");
        File.AppendAllText(weights, "x");
        var damaged = Assert.Throws<StoredDataException>(() => store.Open("topics"));

        Assert.Contains("no classifier named 'topcis'", unknown.Message);
        Assert.Contains("saved: topics", unknown.Message);
        Assert.Contains("SHA-256", damaged.Message);
        Assert.Equal(weights, damaged.Path);
    }
}

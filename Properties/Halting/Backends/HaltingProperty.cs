
namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>The shape of most halting properties: generated batches, read by one backend, checked sample by sample.</summary>
public static class HaltingProperty
{
    public static void ForEverySample(string backend, ITestOutputHelper output, Action<AtrBatch, int, AtrTrace> property) =>
        PropertyCheck.ForAll(HaltingBackends.BatchesFor(backend), batch =>
        {
            var traces = HaltingBackends.Named(backend).Read(batch);
            for (var b = 0; b < batch.Count; b++) property(batch, b, traces[b]);
        }, output);
}

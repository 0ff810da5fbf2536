namespace AdaTapeDml.Pipelines.Inference;

/// <summary>How the elastic pipeline runs ENCODE for a micro-batch after READ.</summary>
public enum ElasticExecution
{
    /// <summary>One call per micro-batch, packed or padded, whichever the calibrated cost model expects to be faster for
    /// that micro-batch's tape lengths (<see cref="EncodePlanner"/>). The default.</summary>
    Auto,
    /// <summary>Always one packed call: each sample at its own length.</summary>
    Packed,
    /// <summary>Always one padded call over the micro-batch's longest tape.</summary>
    Padded,
    /// <summary>One padded call per group of tape lengths (<see cref="ElasticOptions.Grouping"/>).</summary>
    Grouped,
}

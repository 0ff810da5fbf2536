namespace AdaTapeDml.Pipelines.Heatmap;

/// <summary>What one read adds to its bank entry's cell.</summary>
public enum HeatmapWeighting
{
    /// <summary>1 for every candidate a step merged (all k of them): how often an entry is selected, the paper's
    /// token-selection frequency. The default.</summary>
    Count,

    /// <summary>The candidate's softmax weight: how much of the merged tape token the entry makes up.</summary>
    Weight,
}

using System.Reflection;
using Xunit.Sdk;

namespace AdaTapeDml.Properties.Halting.Backends;

/// <summary>Runs a [Theory] once per ATR implementation in <see cref="HaltingBackends.All"/>.</summary>
public sealed class EveryAtrBackendAttribute : MemberDataAttributeBase
{
    public EveryAtrBackendAttribute() : base(nameof(HaltingBackends.Names), []) => MemberType = typeof(HaltingBackends);

    protected override object[] ConvertDataItem(MethodInfo testMethod, object item) => (object[])item;
}

/// <summary>Runs a [Theory] once per inference backend in <see cref="InferenceBackends.All"/>.</summary>
public sealed class EveryInferenceBackendAttribute : MemberDataAttributeBase
{
    public EveryInferenceBackendAttribute() : base(nameof(InferenceBackends.Names), []) => MemberType = typeof(InferenceBackends);

    protected override object[] ConvertDataItem(MethodInfo testMethod, object item) => (object[])item;
}

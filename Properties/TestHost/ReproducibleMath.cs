using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AdaTapeDml.Properties.TestHost;

/// <summary>Puts MKL (linked into libtorch) in its strict reproducible mode for the whole test run, before any TorchSharp
/// native code loads. Without it MKL picks matmul kernels by memory alignment, so two identical TorchSharp calls can
/// differ in the last bits (1.3e-5 was seen on a width-2 model), and a test that demands bit equality of two calls would
/// fail now and then. "AUTO,STRICT" keeps this CPU's fastest kernels (COMPATIBLE would fall back to SSE2 code and slow the
/// training tests) while making GEMM results independent of alignment and thread count. A value the user already set
/// (e.g. MKL_CBWR=COMPATIBLE) is left alone.</summary>
internal static class ReproducibleMath
{
    public const string Variable = "MKL_CBWR";
    public const string Mode = "AUTO,STRICT";

    [ModuleInitializer]
    internal static void SetBeforeNativeCodeLoads()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return;
        // On Unix .NET keeps its own copy of the environment: native getenv (which MKL calls) only sees libc's setenv.
        if (!OperatingSystem.IsWindows()) _ = setenv(Variable, Mode, 1);
        Environment.SetEnvironmentVariable(Variable, Mode);
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}

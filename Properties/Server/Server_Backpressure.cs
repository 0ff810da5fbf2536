using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using AdaTapeDml.Properties.Cli;
using AdaTapeDml.Server;

namespace AdaTapeDml.Properties.Server;

/// <summary>Admission, deadline and disconnects, made deterministic by sessions that wait on a gate the test opens: a full
/// server answers 429 with Retry-After at once, a request past its deadline 504, a client that leaves frees its slot.</summary>
public sealed class Server_Backpressure(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>
{
    private static readonly sbyte[][] One = [[1, 0, -1, 1, 1, 0]];
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Beyond_max_in_flight_a_request_gets_429_with_retry_after_at_once_and_the_admitted_ones_are_answered()
    {
        using var gate = new ManualResetEventSlim(false);
        await using var server = await ServerKit.Start(ServerKit.Gated(ServerKit.Model(trained.Run), gate), new ServerOptions(MaxInFlight: 2));
        using var client = ServerKit.Client(server);
        var admitted = server.Admission.InFlightChanges.FirstAsync(n => n == 2).ToTask();
        var first = ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, "a"));
        var second = ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, "b"));
        await admitted.WaitAsync(Safety);

        var (status, body, response) = await ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, "c"));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("2 requests are in flight (--max-in-flight)", ServerKit.Error(body));
        Assert.False(first.IsCompleted || second.IsCompleted);                 // the gate holds them: nothing was answered yet

        gate.Set();
        Assert.Equal(["a", "b"], (await Task.WhenAll(first, second)).Select(r => { Assert.Equal(HttpStatusCode.OK, r.Status); return r.Body.GetProperty("id").GetString(); }));
        Assert.Equal(HttpStatusCode.OK, (await ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, "d"))).Status);
    }

    [Fact]
    public async Task A_request_past_its_deadline_gets_504_and_frees_its_slot()
    {
        using var gate = new ManualResetEventSlim(false);
        var options = new ServerOptions(MaxInFlight: 1, Deadline: TimeSpan.FromMilliseconds(1));
        await using var server = await ServerKit.Start(ServerKit.Gated(ServerKit.Model(trained.Run), gate), options);
        using var client = ServerKit.Client(server);
        // The gate never opens during the request: only its deadline can end it.
        var (status, body, _) = await ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One));
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains("deadline of 0.001 s passed before its answer (--deadline)", ServerKit.Error(body));
        Assert.Equal(0, server.Admission.InFlight);
        gate.Set();
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_its_wait_and_frees_its_slot()
    {
        using var gate = new ManualResetEventSlim(false);
        var atGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ServerKit.Start(ServerKit.Gated(ServerKit.Model(trained.Run), gate, onWait: () => atGate.TrySetResult()), new ServerOptions(MaxInFlight: 1));
        using var client = ServerKit.Client(server);
        using var leave = new CancellationTokenSource();
        var answered = server.Infer.Answered.FirstAsync().ToTask();
        var request = ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One), leave.Token);
        await atGate.Task.WaitAsync(Safety);                                   // read, admitted and waiting for its answer
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        Assert.Equal(("parity", InferEndpoint.ClientClosed), await answered.WaitAsync(Safety));   // while the gate is still closed
        Assert.Equal(0, server.Admission.InFlight);
        gate.Set();
        Assert.Equal(HttpStatusCode.OK, (await ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One))).Status);
    }

    [Fact]
    public async Task When_every_knob_pipeline_is_busy_a_new_knob_value_gets_429()
    {
        using var gate = new ManualResetEventSlim(false);
        var atGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ServerKit.Start(ServerKit.Gated(ServerKit.Model(trained.Run), gate, onWait: () => atGate.TrySetResult()), new ServerOptions(KnobPipelines: 1));
        using var client = ServerKit.Client(server);
        var busy = ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, parameters: "\"parameters\": {\"act_epsilon\": 1.0}, "));
        await atGate.Task.WaitAsync(Safety);                                   // its knob pipeline is made and in use
        var (status, body, response) = await ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, parameters: "\"parameters\": {\"act_epsilon\": 1.5}, "));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("compute-knob values (1) is in use", ServerKit.Error(body));
        Assert.True(response.Headers.Contains("Retry-After"));
        gate.Set();
        Assert.Equal(HttpStatusCode.OK, (await busy).Status);
        // Now idle, the knob pipeline gives way to the new value.
        Assert.Equal(HttpStatusCode.OK, (await ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences(One, parameters: "\"parameters\": {\"act_epsilon\": 1.5}, "))).Status);
    }
}

using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using AdaTapeDml.Core.Specs;
using AdaTapeDml.Properties.Cli;
using AdaTapeDml.Properties.Pipelines;
using AdaTapeDml.Server;
using Microsoft.AspNetCore.Http;


namespace AdaTapeDml.Properties.Server
{
    /// <summary>Stopping the server (what SIGTERM and Ctrl-C do through the host's lifetime) while admitted requests are
    /// held on a gate: readiness turns false at once, every admitted request is answered after the gate opens, then the
    /// sessions are disposed and the server completes.</summary>
    public sealed class Server_GracefulShutdown(TinyTrainedRun trained) : IClassFixture<TinyTrainedRun>
    {
        private static readonly TimeSpan Safety = TimeSpan.FromMinutes(2);

        [Fact]
        public async Task Every_admitted_request_is_answered_readiness_is_false_during_the_drain_and_sessions_are_disposed()
        {
            using var gate = new ManualResetEventSlim(false);
            var disposed = 0;
            var server = await ServerKit.Start(ServerKit.Gated(ServerKit.Model(trained.Run), gate, () => Interlocked.Increment(ref disposed)));
            using var client = ServerKit.Client(server);
            Assert.Equal(HttpStatusCode.OK, (await ServerKit.Get(client, "v2/health/ready")).Status);
            const int admittedCount = 3;
            var admitted = server.Admission.InFlightChanges.FirstAsync(n => n == admittedCount).ToTask();
            var requests = Enumerable.Range(0, admittedCount)
                .Select(i => ServerKit.Post(client, "v2/models/parity/infer", ServerKit.Sequences([[1, 0, -1, 1, 1, 0], [0, 1, 1, 0, 0, 1]], $"r{i}"))).ToArray();
            await admitted.WaitAsync(Safety);

            server.Stop();
            Assert.False(server.IsReady);
            Assert.False(server.Completion.IsCompleted);
            Assert.Equal(0, disposed);

            gate.Set();
            var answers = await Task.WhenAll(requests).WaitAsync(Safety);
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.Equal(["r0", "r1", "r2"], answers.Select(a => a.Body.GetProperty("id").GetString()));
            await server.Completion.WaitAsync(Safety);
            Assert.Equal(1, disposed);                                         // the trained pipeline's one session
        }

        [Fact]
        public async Task While_shutting_down_an_infer_request_gets_503_and_not_ready()
        {
            var source = new ModelSource("fake", FakeElasticSession.ParitySpec, "adatapedml_fake", _ => () => new FakeElasticSession());
            var options = new ServerOptions();
            var metrics = new ServerMetrics();
            using var registry = new ModelRegistry([source], options, metrics);
            using var admission = new Admission(1);
            var endpoint = new InferEndpoint(registry, admission, metrics, options, accepting: () => false);
            var context = new DefaultHttpContext();
            context.Request.RouteValues["name"] = "fake";
            context.Response.Body = new MemoryStream();
            await endpoint.Handle(context);
            Assert.Equal(503, context.Response.StatusCode);
            Assert.Contains("shutting down", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
            Assert.Equal(0, admission.InFlight);
        }
    }
}

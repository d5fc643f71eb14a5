import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server, started as its own io.temporal.testserver.TestServer starts it
 * (`<port> [--enable-time-skipping]`), with two differences: an error's description longer than
 * 2 KB is cut (its head and tail logged), and keepalive pings are allowed as the real server allows them.
 *
 * <p>Some of the server's errors print a whole workflow task (its history and pending updates) into
 * the description. The worker's gRPC client accepts 16 KB of headers; Netty then refuses to send
 * the answer, the worker waits 30 s for it, drops the run, and the task is only handed out again
 * after its timeout, time skipping held the while (order scenarios hung for minutes). Cut, the
 * error arrives at once, like the real server's, and the log says what it was.
 */
public final class BoundedErrorsTestServer {
  private static final int MAX_DESCRIPTION = 2048;
  /** Logged of a long description: its head (what failed) and its tail (the events just before). */
  private static final int LOGGED_HEAD = 1500;
  private static final int LOGGED_TAIL = 6000;
  /** Error details (a serialized google.rpc.Status) past this size go too: they repeat the description. */
  private static final int MAX_DETAILS = 4096;

  private static final Metadata.Key<byte[]> DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    boolean timeSkipping = args.length > 1 && "--enable-time-skipping".equalsIgnoreCase(args[1]);
    TestServicesStarter services = new TestServicesStarter(!timeSkipping, 0);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    // The TypeScript client pings every 30 s, idle or not, as the real server allows
    // (frontend.keepAliveMinTime: 10 s, pings without calls permitted). gRPC's default (one in 5
    // minutes) answered them with GOAWAY "too_many_pings" ("rejected by server because of excess
    // pings" in the tests' logs): the connection dropped under the calls in flight, which the client
    // then sent again, a lock or unlock of time skipping among them.
    builder.permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true);
    builder.intercept(new BoundErrors());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  services.close();
                }));
    server.awaitTermination();
  }

  /** The description whole when short; else its head and tail (a lock diagnosis ends with the events that broke it). */
  private static String headAndTail(String description) {
    if (description.length() <= LOGGED_HEAD + LOGGED_TAIL) return description;
    return description.substring(0, LOGGED_HEAD)
        + "\n… ("
        + (description.length() - LOGGED_HEAD - LOGGED_TAIL)
        + " characters left out) …\n"
        + description.substring(description.length() - LOGGED_TAIL);
  }

  private static final class BoundErrors implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getFullMethodName();
      return next.startCall(
          new ForwardingServerCall.SimpleForwardingServerCall<Q, R>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              super.close(bounded(method, status, trailers), trailers);
            }
          },
          headers);
    }

    private static Status bounded(String method, Status status, Metadata trailers) {
      String description = status.getDescription();
      byte[] details = trailers.get(DETAILS);
      boolean longDescription = description != null && description.length() > MAX_DESCRIPTION;
      boolean longDetails = details != null && details.length > MAX_DETAILS;
      if (!longDescription && !longDetails) return status;
      System.err.printf(
          "[test-server] %s answered %s with a %d-character description%s: %s%n",
          method,
          status.getCode(),
          description == null ? 0 : description.length(),
          longDetails ? " and " + details.length + " bytes of details (dropped)" : "",
          description == null ? "" : headAndTail(description));
      if (longDetails) trailers.removeAll(DETAILS);
      return longDescription
          ? status.withDescription(description.substring(0, MAX_DESCRIPTION) + " … (cut by the test server launcher)")
          : status;
    }
  }
}

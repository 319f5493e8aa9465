package io.segmentredshift.examples.server;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line of the standalone server and the backfill:
 *
 * <pre>
 * segment-redshift [serve] [options]                                 receive events over HTTP
 * segment-redshift backfill &lt;DIRECTORY | s3://BUCKET/PREFIX&gt; [options] load Segment's S3 archive
 * </pre>
 *
 * Every option can be given by an environment variable instead; {@code --help} lists them. A bad
 * configuration stops the command with one line on standard error and exit code 2; a failure to
 * start or to finish with one line and exit code 1.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  /**
   * Runs a command. {@code serve} returns once the server is up; it stops on SIGTERM or Ctrl-C.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    boolean terminal = System.console() != null;
    int code = run(List.of(args), System.getenv(), System.out, System.err, terminal);
    if (code != 0 || isBackfill(List.of(args))) {
      System.exit(code);
    }
  }

  private static boolean isBackfill(List<String> args) {
    return !args.isEmpty() && args.get(0).equals("backfill");
  }

  /**
   * Runs a command and returns its exit code; for {@code serve}, once the server is up (a shutdown
   * hook stops it).
   */
  static int run(
      List<String> args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      boolean terminal) {
    List<String> rest = args;
    String command = "serve";
    if (!args.isEmpty() && List.of("serve", "backfill", "help").contains(args.get(0))) {
      command = args.get(0);
      rest = args.subList(1, args.size());
    }
    if (command.equals("help") || rest.contains("--help") || rest.contains("-h")) {
      out.print(Options.help());
      out.flush();
      return 0;
    }
    try {
      if (command.equals("backfill")) {
        BackfillConfig config = BackfillConfig.parse(rest, env);
        return new BackfillCommand(config, out, terminal, System::nanoTime).run();
      }
      ServerConfig config = ServerConfig.parse(rest, env);
      ServeCommand server = ServeCommand.start(config, out);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "segment-redshift-shutdown"));
      return 0;
    } catch (CommandLineException e) {
      err.println("segment-redshift: " + e.getMessage());
      err.flush();
      LOG.debug("{}", e.getMessage(), e);
      return e.exitCode();
    } catch (RuntimeException e) {
      // A driver's message may quote a URL: mask what looks like a secret in it.
      String message =
          e.getMessage() == null
              ? ""
              : Masking.jdbcUrl(e.getMessage().lines().findFirst().orElse(""));
      err.println("segment-redshift: failed: " + e.getClass().getSimpleName() + ": " + message);
      err.flush();
      LOG.debug("failed", e);
      return CommandLineException.FAILURE;
    }
  }
}

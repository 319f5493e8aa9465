package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: a child JVM, its exit code, its output. */
class CommandLineProcessTest {
  @TempDir Path dir;

  record Run(int exitCode, String stdout, String stderr) {}

  static Run main(Map<String, String> env, String... args) throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith(Option.ENV_PREFIX));
    builder.environment().putAll(env);
    Process p = builder.start();
    p.getOutputStream().close();
    byte[] stdout = p.getInputStream().readAllBytes();
    byte[] stderr = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
    return new Run(
        p.exitValue(),
        new String(stdout, StandardCharsets.UTF_8),
        new String(stderr, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryOptionWithItsVariableAndExitsZero() throws Exception {
    Run run = main(Map.of(), "--help");
    assertEquals(0, run.exitCode());
    assertEquals("", run.stderr());
    for (List<Option> group : List.of(Options.serve(), Options.backfill())) {
      for (Option o : group) {
        assertTrue(run.stdout().contains(o.flag()), o.flag());
        assertTrue(run.stdout().contains("[" + o.env() + "]"), o.env());
      }
    }
    assertEquals(run.stdout(), main(Map.of(), "backfill", "-h").stdout());
  }

  @Test
  void aBadConfigurationPrintsExactlyOneLineAndExitsTwo() throws Exception {
    List<List<String>> cases =
        List.of(
            List.of("--prot", "80"),
            List.of("--port"),
            List.of("--port", "eighty", "--allow-unauthenticated"),
            List.of("--flush-interval", "10", "--allow-unauthenticated"),
            List.of(
                "--allow-unauthenticated",
                "--jdbc-url",
                "jdbc:redshift://c:5439/dev",
                "--loader",
                "copy"),
            List.of(),
            List.of("backfill"),
            List.of("backfill", dir.toString(), "--from", "2024-02-30"));
    for (List<String> args : cases) {
      Run run = main(Map.of(), args.toArray(String[]::new));
      assertEquals(2, run.exitCode(), args + ": " + run.stderr());
      assertEquals("", run.stdout(), args.toString());
      assertTrue(run.stderr().startsWith("segment-redshift: "), run.stderr());
      assertTrue(run.stderr().endsWith("\n"), run.stderr());
      assertEquals(1, run.stderr().lines().count(), args + ": " + run.stderr());
    }
  }

  @Test
  void aBadVariableIsRefusedAndASecretNeverShown() throws Exception {
    Run run =
        main(
            Map.of(
                "SEGMENT_REDSHIFT_SECRET", "top-secret-value",
                "SEGMENT_REDSHIFT_BATCH_SIZE", "lots"));
    assertEquals(2, run.exitCode());
    assertEquals(
        "segment-redshift: SEGMENT_REDSHIFT_BATCH_SIZE: not a whole number: \"lots\"\n",
        run.stderr());
    assertFalse((run.stdout() + run.stderr()).contains("secret-value"));
  }
}

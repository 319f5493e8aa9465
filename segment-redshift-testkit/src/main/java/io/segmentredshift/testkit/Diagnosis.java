package io.segmentredshift.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a fixture's start failure into one line that says what is missing. */
final class Diagnosis {
  private static final long MIN_FREE_BYTES = 256L * 1024 * 1024;

  private Diagnosis() {}

  static FixtureException explain(String fixture, Throwable cause) {
    return new FixtureException(fixture + " could not start: " + reason(cause), cause);
  }

  static String reason(Throwable cause) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long free = tmp.toFile().getUsableSpace();
    if (free < MIN_FREE_BYTES) {
      return "only " + (free >> 20) + " MiB free in " + tmp + " (needs about 256 MiB)";
    }
    if (isRoot() && !onPath("unshare")) {
      return "running as root needs the 'unshare' command (util-linux) so that initdb can run"
          + " as an unprivileged user";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** Fails with a clear message when a fixed port is taken. */
  static void requireFreePort(String fixture, int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new FixtureException(fixture + " could not start: port " + port + " is taken", e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}

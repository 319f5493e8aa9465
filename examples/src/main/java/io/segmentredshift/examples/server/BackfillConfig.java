package io.segmentredshift.examples.server;

import static io.segmentredshift.examples.server.Options.FROM;
import static io.segmentredshift.examples.server.Options.PROGRESS_INTERVAL;
import static io.segmentredshift.examples.server.Options.SOURCE_ID;
import static io.segmentredshift.examples.server.Options.TO;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration of {@code backfill}.
 *
 * @param warehouse where the events go
 * @param archive where the archive is
 * @param from the first UTC day to load, or null for no limit
 * @param to the last UTC day to load (inclusive), or null for no limit
 * @param sourceIds the sources to load, or empty for the only one there is
 * @param progressInterval how often a progress line is printed when not on a terminal
 */
record BackfillConfig(
    WarehouseConfig warehouse,
    ArchiveLocation archive,
    LocalDate from,
    LocalDate to,
    Set<String> sourceIds,
    Duration progressInterval) {

  static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);

  /** Reads and checks the options of {@code backfill} (the arguments after the command). */
  static BackfillConfig parse(List<String> args, Map<String, String> env) {
    Arguments a = Arguments.parse(Options.backfill(), args, env, Options.allEnv());
    return from(a);
  }

  static BackfillConfig from(Arguments a) {
    List<String> positional = a.positional();
    if (positional.isEmpty()) {
      throw CommandLineException.usage(
          "backfill needs the archive: a directory or s3://BUCKET/PREFIX (see --help)");
    }
    if (positional.size() > 1) {
      throw CommandLineException.usage(
          "unexpected argument " + Arguments.shown(positional.get(1)) + " (see --help)");
    }
    WarehouseConfig warehouse = WarehouseConfig.from(a);
    ArchiveLocation archive = ArchiveLocation.parse(positional.get(0));
    LocalDate from = a.date(FROM);
    LocalDate to = a.date(TO);
    if (from != null && to != null && from.isAfter(to)) {
      throw CommandLineException.usage(
          a.origin(FROM) + " " + from + " is after " + a.origin(TO) + " " + to);
    }
    Set<String> sources = new LinkedHashSet<>(a.list(SOURCE_ID));
    for (String source : sources) {
      if (source.contains("/")) {
        throw CommandLineException.usage(
            a.origin(SOURCE_ID) + ": not a source id: " + Arguments.shown(source));
      }
    }
    Duration progress = a.duration(PROGRESS_INTERVAL, DEFAULT_PROGRESS_INTERVAL);
    return new BackfillConfig(warehouse, archive, from, to, Set.copyOf(sources), progress);
  }

  /** The settings for the startup echo, secrets masked. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("archive         " + archive);
    lines.add(
        "days            "
            + (from == null ? "first" : from.toString())
            + " to "
            + (to == null ? "last" : to.toString())
            + " (UTC, inclusive)");
    if (!sourceIds.isEmpty()) {
      lines.add("sources         " + String.join(", ", new TreeSet<>(sourceIds)));
    }
    lines.addAll(warehouse.describe());
    return lines;
  }

  /** Secrets masked. */
  @Override
  public String toString() {
    return "BackfillConfig" + describe();
  }
}

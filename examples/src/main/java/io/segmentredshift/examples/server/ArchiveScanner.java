package io.segmentredshift.examples.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the files of a Segment S3 archive, {@code segment-logs/<source-id>/<day>/*.gz} where the
 * day is the epoch milliseconds of its UTC start, within a range of days. The archive may be given
 * at its root (the folder that holds {@code segment-logs/}), at {@code segment-logs/} itself, or at
 * one source's folder. Other files and folders are ignored.
 */
final class ArchiveScanner {
  static final String LOGS = "segment-logs";

  private ArchiveScanner() {}

  /**
   * The archive's files in range, ordered by day, then source, then name.
   *
   * @param from the first day, or null
   * @param to the last day (inclusive), or null
   * @param sourceIds the sources to load; empty for the only one the archive holds
   * @throws CommandLineException ({@link CommandLineException#USAGE}) when the location holds no
   *     archive, a named source is not in it, or it holds several sources and none was named
   */
  static List<ArchiveFile> scan(
      ArchiveStore store, String archive, LocalDate from, LocalDate to, Set<String> sourceIds) {
    List<String> names = store.rootNames();
    String last = names.isEmpty() ? "" : names.get(names.size() - 1);
    String parent = names.size() < 2 ? "" : names.get(names.size() - 2);
    List<String> sources;
    String logs;
    if (parent.equals(LOGS)) {
      // One source's folder.
      logs = null;
      sources = List.of(last);
      if (!sourceIds.isEmpty() && !sourceIds.contains(last)) {
        throw CommandLineException.usage(
            "the archive "
                + archive
                + " is the folder of source "
                + last
                + ", not of "
                + String.join(", ", new TreeSet<>(sourceIds)));
      }
    } else {
      if (last.equals(LOGS)) {
        logs = "";
      } else if (store.directories("").contains(LOGS)) {
        logs = LOGS + "/";
      } else {
        throw CommandLineException.usage(
            "no "
                + LOGS
                + "/ in "
                + archive
                + " (Segment's layout: segment-logs/<source-id>/<day in epoch ms>/*.gz)");
      }
      sources = chooseSources(new TreeSet<>(store.directories(logs)), sourceIds, archive);
    }
    List<ArchiveFile> files = new ArrayList<>();
    for (String source : sources) {
      String sourceDir = logs == null ? "" : logs + source + "/";
      for (String dayName : store.directories(sourceDir)) {
        LocalDate day = day(dayName);
        if (day == null
            || (from != null && day.isBefore(from))
            || (to != null && day.isAfter(to))) {
          continue;
        }
        String dayDir = sourceDir + dayName + "/";
        for (ArchiveStore.Entry entry : store.files(dayDir)) {
          String name = entry.path().substring(dayDir.length());
          if (!name.endsWith(".gz")) {
            continue;
          }
          files.add(
              new ArchiveFile(
                  LOGS + "/" + source + "/" + dayName + "/" + name,
                  source,
                  day,
                  entry.size(),
                  entry.version(),
                  entry.path(),
                  store.location(entry.path())));
        }
      }
    }
    files.sort(
        Comparator.comparing(ArchiveFile::day)
            .thenComparing(ArchiveFile::sourceId)
            .thenComparing(ArchiveFile::key));
    return files;
  }

  private static List<String> chooseSources(
      TreeSet<String> found, Set<String> wanted, String archive) {
    if (found.isEmpty()) {
      throw CommandLineException.usage("no sources in " + archive + " (segment-logs/ is empty)");
    }
    if (wanted.isEmpty()) {
      if (found.size() > 1) {
        throw CommandLineException.usage(
            "the archive holds "
                + found.size()
                + " sources ("
                + String.join(", ", found)
                + "): choose one with --source-id; each source goes into its own --schema");
      }
      return List.copyOf(found);
    }
    for (String id : new TreeSet<>(wanted)) {
      if (!found.contains(id)) {
        throw CommandLineException.usage(
            "--source-id "
                + id
                + " is not in the archive (it holds "
                + String.join(", ", found)
                + ")");
      }
    }
    return List.copyOf(new TreeSet<>(wanted));
  }

  /** The UTC day of a folder named by epoch milliseconds, or null for another name. */
  static LocalDate day(String name) {
    if (name.isEmpty() || name.length() > 15 || !name.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(name)), ZoneOffset.UTC);
  }

  /** The folder name of a day: the epoch milliseconds of its UTC start. */
  static String dayName(LocalDate day) {
    return Long.toString(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
  }
}

package io.segmentredshift.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --name value} arguments of a benchmark child JVM, built by the parent and read by the
 * child.
 */
final class Args {
  private final Map<String, String> values;

  private Args(Map<String, String> values) {
    this.values = values;
  }

  static Args parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("not an option: " + args[i]);
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(name, args[++i]);
      } else {
        values.put(name, "true");
      }
    }
    return new Args(values);
  }

  static Builder builder() {
    return new Builder();
  }

  String text(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " missing");
    }
    return value;
  }

  String text(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  int integer(String name) {
    return Integer.parseInt(text(name));
  }

  int integer(String name, int otherwise) {
    return values.containsKey(name) ? integer(name) : otherwise;
  }

  long number(String name) {
    return Long.parseLong(text(name));
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  /** Collects arguments for a child. */
  static final class Builder {
    private final List<String> args = new ArrayList<>();

    Builder add(String name, Object value) {
      args.add("--" + name);
      args.add(String.valueOf(value));
      return this;
    }

    List<String> build() {
      return List.copyOf(args);
    }
  }
}

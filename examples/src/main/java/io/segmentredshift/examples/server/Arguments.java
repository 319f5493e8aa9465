package io.segmentredshift.examples.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command, read from the command line and then from the environment: an option
 * given on the command line wins over its environment variable (for a repeatable option, the
 * command line's values replace the variable's list). Typed getters check values and fail with one
 * line that names where the value came from, never showing a secret.
 */
final class Arguments {
  private static final int MAX_SHOWN = 80;

  private final Map<String, Option> options;
  private final Map<String, List<String>> values;
  private final Map<String, String> origins;
  private final List<String> positional;
  private final boolean help;

  private Arguments(
      Map<String, Option> options,
      Map<String, List<String>> values,
      Map<String, String> origins,
      List<String> positional,
      boolean help) {
    this.options = options;
    this.values = values;
    this.origins = origins;
    this.positional = positional;
    this.help = help;
  }

  /**
   * Reads {@code args}, then the environment for the options that {@code args} do not give.
   *
   * @param spec the options of the command
   * @param otherEnv environment variables of other commands, ignored here; any other variable
   *     starting with {@link Option#ENV_PREFIX} is refused as a likely typo
   * @throws CommandLineException ({@link CommandLineException#USAGE}) on an unknown option, a
   *     missing value, an unknown variable or a switch that is neither true nor false
   */
  static Arguments parse(
      List<Option> spec, List<String> args, Map<String, String> env, Set<String> otherEnv) {
    Map<String, Option> options = new LinkedHashMap<>();
    for (Option o : spec) {
      options.put(o.flag(), o);
    }
    if (args.contains("--help") || args.contains("-h")) {
      return new Arguments(options, Map.of(), Map.of(), List.of(), true);
    }
    Map<String, List<String>> values = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positional.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg : arg.substring(0, eq);
      Option option = options.get(flag);
      if (option == null) {
        throw CommandLineException.usage(
            "unknown option "
                + (flag.matches("-[-a-zA-Z0-9]{1,40}") ? flag : shown(flag))
                + " (see --help)");
      }
      String value;
      if (option.kind() == Option.Kind.SWITCH) {
        value = eq < 0 ? "true" : bool(flag, arg.substring(eq + 1));
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw CommandLineException.usage(flag + " needs a value (" + option.valueName() + ")");
      }
      List<String> list = values.computeIfAbsent(flag, k -> new ArrayList<>());
      if (option.kind() != Option.Kind.LIST) {
        list.clear();
      }
      list.add(value);
      origins.put(flag, flag);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(Option.ENV_PREFIX)) {
        continue;
      }
      Option option = null;
      for (Option o : spec) {
        if (o.env().equals(name)) {
          option = o;
        }
      }
      if (option == null && otherEnv.contains(name)) {
        continue;
      }
      if (option == null) {
        throw CommandLineException.usage("unknown environment variable " + shown(name));
      }
      String raw = e.getValue();
      if (values.containsKey(option.flag()) || raw == null || raw.isBlank()) {
        continue;
      }
      List<String> list = new ArrayList<>();
      switch (option.kind()) {
        case SWITCH -> list.add(bool(name, raw.strip()));
        case LIST -> {
          for (String part : raw.split(",")) {
            if (!part.isBlank()) {
              list.add(part.strip());
            }
          }
        }
        case VALUE -> list.add(raw.strip());
      }
      values.put(option.flag(), list);
      origins.put(option.flag(), name);
    }
    return new Arguments(options, values, origins, List.copyOf(positional), false);
  }

  private static String bool(String origin, String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> "true";
      case "false", "no", "0", "off" -> "false";
      default -> throw CommandLineException.usage(origin + ": not true or false: " + shown(raw));
    };
  }

  /** Whether {@code --help} or {@code -h} was given; nothing else was read then. */
  boolean help() {
    return help;
  }

  /** The arguments that are not options, in order. */
  List<String> positional() {
    return positional;
  }

  /** Whether the option has a value, from the command line or the environment. */
  boolean has(String flag) {
    option(flag);
    return values.containsKey(flag);
  }

  /** Where the option's value came from: the flag or the environment variable. */
  String origin(String flag) {
    return origins.getOrDefault(flag, flag);
  }

  /** The value, or {@code fallback} when there is none. Never blank. */
  String string(String flag, String fallback) {
    List<String> list = values.get(flag);
    if (list == null) {
      option(flag);
      return fallback;
    }
    String value = list.get(list.size() - 1);
    if (value.isBlank()) {
      throw CommandLineException.usage(origin(flag) + " is empty");
    }
    return value;
  }

  /** The value as given (possibly empty), or {@code fallback} when there is none. */
  String raw(String flag, String fallback) {
    List<String> list = values.get(flag);
    option(flag);
    return list == null ? fallback : list.get(list.size() - 1);
  }

  /** Every value of a repeatable option, in order; none is blank. */
  List<String> list(String flag) {
    option(flag);
    List<String> list = values.getOrDefault(flag, List.of());
    for (String value : list) {
      if (value.isBlank()) {
        throw CommandLineException.usage(origin(flag) + " is empty");
      }
    }
    return List.copyOf(list);
  }

  /** A switch: true when given (and not given as false). */
  boolean flag(String flag) {
    return Boolean.parseBoolean(string(flag, "false"));
  }

  /** An integer in {@code [min, max]}, or {@code fallback}. */
  int integer(String flag, int min, int max, int fallback) {
    if (!has(flag)) {
      return fallback;
    }
    String value = string(flag, null);
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      throw CommandLineException.usage(
          origin(flag) + ": not a whole number: " + shownValue(flag, value));
    }
    throw CommandLineException.usage(
        origin(flag) + ": " + value + " is out of range (" + min + " to " + max + ")");
  }

  /** A positive duration such as {@code 30s}, {@code 5m}, {@code 1h30m}, or {@code fallback}. */
  Duration duration(String flag, Duration fallback) {
    if (!has(flag)) {
      return fallback;
    }
    String value = string(flag, null);
    Duration d = Durations.parse(value);
    if (d == null) {
      throw CommandLineException.usage(
          origin(flag)
              + ": not a duration: "
              + shownValue(flag, value)
              + " (write e.g. 500ms, 30s, 5m, 1h)");
    }
    if (d.isZero() || d.isNegative()) {
      throw CommandLineException.usage(origin(flag) + ": must be longer than 0: " + value);
    }
    return d;
  }

  /** A UTC day written {@code 2024-03-01}, or null. */
  LocalDate date(String flag) {
    if (!has(flag)) {
      return null;
    }
    String value = string(flag, null);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw CommandLineException.usage(
          origin(flag) + ": not a date (YYYY-MM-DD): " + shownValue(flag, value));
    }
  }

  /** An {@code http} or {@code https} URL, or null. */
  URI url(String flag) {
    if (!has(flag)) {
      return null;
    }
    String value = string(flag, null);
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below, with the same words as a URL of another scheme.
    }
    throw CommandLineException.usage(
        origin(flag) + ": not an http(s) URL: " + shownValue(flag, value));
  }

  private Option option(String flag) {
    Option option = options.get(flag);
    if (option == null) {
      throw new IllegalArgumentException("not an option of this command: " + flag);
    }
    return option;
  }

  /** The value for a message, or a placeholder when the option is secret. */
  String shownValue(String flag, String value) {
    return option(flag).secret() ? "(hidden)" : shown(value);
  }

  /** A value in quotes, cut and with control characters escaped, for a one-line message. */
  static String shown(String value) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < value.length() && i < MAX_SHOWN; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (value.length() > MAX_SHOWN) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}

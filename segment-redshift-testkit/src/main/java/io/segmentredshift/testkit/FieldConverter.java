package io.segmentredshift.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts one field of a COPY file to the text PostgreSQL gets, following Redshift's rules rather
 * than PostgreSQL's: empty fields, byte-counted VARCHAR widths, TRUNCATECOLUMNS, the TIMEFORMAT
 * 'auto' forms (an offset is ignored for TIMESTAMP and applied for TIMESTAMPTZ), and Redshift's
 * load error codes for values that do not fit.
 */
final class FieldConverter {
  /** The column types the emulation converts. */
  enum Type {
    VARCHAR,
    CHAR,
    SMALLINT,
    INTEGER,
    BIGINT,
    REAL,
    DOUBLE,
    NUMERIC,
    BOOLEAN,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ
  }

  /** Redshift's VARCHAR(MAX): the width used for PostgreSQL text and unbounded varchar. */
  static final int MAX_VARCHAR_BYTES = 65_535;

  /**
   * A target column.
   *
   * @param name the column name
   * @param type the converted type
   * @param label the type as stl_load_errors shows it (e.g. {@code varchar}, {@code int8})
   * @param length the width in bytes for VARCHAR/CHAR, the precision for NUMERIC, else 0
   * @param scale the scale for NUMERIC, else 0
   * @param notNull whether the column is NOT NULL
   */
  record Column(String name, Type type, String label, int length, int scale, boolean notNull) {
    boolean isCharacter() {
      return type == Type.VARCHAR || type == Type.CHAR;
    }

    /** col_length in stl_load_errors: the declared width of a sized type, else empty. */
    String lengthLabel() {
      return length > 0 ? Integer.toString(length) : "";
    }

    /**
     * The column for a PostgreSQL type, or null when the emulation does not convert that type.
     *
     * @param typeOid {@code pg_attribute.atttypid}
     * @param typmod {@code pg_attribute.atttypmod}
     */
    static Column of(String name, int typeOid, int typmod, boolean notNull) {
      return switch (typeOid) {
        case 1043 ->
            new Column(
                name,
                Type.VARCHAR,
                "varchar",
                typmod > 4 ? typmod - 4 : MAX_VARCHAR_BYTES,
                0,
                notNull);
        case 25 -> new Column(name, Type.VARCHAR, "varchar", MAX_VARCHAR_BYTES, 0, notNull);
        case 1042 -> new Column(name, Type.CHAR, "char", typmod > 4 ? typmod - 4 : 1, 0, notNull);
        case 21 -> new Column(name, Type.SMALLINT, "int2", 0, 0, notNull);
        case 23 -> new Column(name, Type.INTEGER, "int4", 0, 0, notNull);
        case 20 -> new Column(name, Type.BIGINT, "int8", 0, 0, notNull);
        case 700 -> new Column(name, Type.REAL, "float4", 0, 0, notNull);
        case 701 -> new Column(name, Type.DOUBLE, "float8", 0, 0, notNull);
        case 1700 ->
            typmod >= 4
                ? new Column(
                    name,
                    Type.NUMERIC,
                    "numeric",
                    ((typmod - 4) >> 16) & 0xffff,
                    (typmod - 4) & 0xffff,
                    notNull)
                : new Column(name, Type.NUMERIC, "numeric", 0, 0, notNull);
        case 16 -> new Column(name, Type.BOOLEAN, "bool", 0, 0, notNull);
        case 1082 -> new Column(name, Type.DATE, "date", 0, 0, notNull);
        case 1114 -> new Column(name, Type.TIMESTAMP, "timestamp", 0, 0, notNull);
        case 1184 -> new Column(name, Type.TIMESTAMPTZ, "timestamptz", 0, 0, notNull);
        default -> null;
      };
    }
  }

  /** A field Redshift would not load: its load error code, reason and position in the field. */
  static final class BadField extends Exception {
    private static final long serialVersionUID = 1L;

    final int code;
    final int position;

    BadField(int code, String reason, int position) {
      super(reason, null, false, false);
      this.code = code;
      this.position = position;
    }
  }

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern FLOAT_SPECIAL = Pattern.compile("(?i)nan|[+-]?inf|[+-]?infinity");
  private static final Set<String> TRUE = Set.of("t", "true", "y", "yes", "1");
  private static final Set<String> FALSE = Set.of("f", "false", "n", "no", "0");

  // TIMEFORMAT 'auto': ISO-8601 with 'T' or a space, optional seconds, up to microseconds, and
  // an optional zone (Z, +hh, +hh:mm, +hhmm), or a date alone.
  private static final Pattern AUTO_TIMESTAMP =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,6}))?)?"
              + "(?: ?(Z|[+-]\\d{2}(?::?\\d{2})?))?)?");
  // The default format: YYYY-MM-DD HH:MI:SS[.ffffff], with an offset only for TIMESTAMPTZ.
  private static final Pattern DEFAULT_TIMESTAMP =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?"
              + "(Z|[+-]\\d{2}(?::?\\d{2})?)?");
  private static final Pattern DEFAULT_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");

  private final boolean emptyAsNull;
  private final boolean blanksAsNull;
  private final boolean truncateColumns;
  private final boolean timeFormatAuto;
  private final boolean dateFormatAuto;

  FieldConverter(CopyCommand copy) {
    this.emptyAsNull = copy.emptyAsNull();
    this.blanksAsNull = copy.blanksAsNull();
    this.truncateColumns = copy.truncateColumns();
    this.timeFormatAuto = copy.timeFormatAuto();
    this.dateFormatAuto = copy.dateFormatAuto();
  }

  /**
   * The PostgreSQL input text for a field, or null for NULL.
   *
   * @param raw the field's text, or null when the file says NULL (NULL AS, JSON null, a missing
   *     JSON key)
   */
  String convert(Column column, String raw) throws BadField {
    String value;
    if (raw == null) {
      value = null;
    } else if (raw.isEmpty()) {
      // Redshift: an empty field is '' for CHAR/VARCHAR (unless EMPTYASNULL), NULL otherwise.
      value = column.isCharacter() && !emptyAsNull ? "" : null;
    } else if (column.isCharacter() && blanksAsNull && raw.isBlank()) {
      value = null;
    } else {
      value = convertValue(column, raw);
    }
    if (value == null && column.notNull()) {
      throw new BadField(1213, "Missing data for not-null field", 0);
    }
    return value;
  }

  private String convertValue(Column column, String raw) throws BadField {
    return switch (column.type()) {
      case VARCHAR -> characters(column, raw);
      case CHAR -> {
        for (int i = 0; i < raw.length(); i++) {
          if (raw.charAt(i) > 127) {
            throw new BadField(
                1220, "Multibyte character not supported for CHAR (Hint: try using VARCHAR)", i);
          }
        }
        yield characters(column, raw);
      }
      case SMALLINT -> integer(raw, Short.MIN_VALUE, Short.MAX_VALUE, "Short");
      case INTEGER -> integer(raw, Integer.MIN_VALUE, Integer.MAX_VALUE, "Integer");
      case BIGINT -> integer(raw, Long.MIN_VALUE, Long.MAX_VALUE, "Long");
      case REAL -> floating(raw, true);
      case DOUBLE -> floating(raw, false);
      case NUMERIC -> decimal(column, raw);
      case BOOLEAN -> bool(raw);
      case DATE -> date(raw);
      case TIMESTAMP -> timestamp(raw, false);
      case TIMESTAMPTZ -> timestamp(raw, true);
    };
  }

  private String characters(Column column, String raw) throws BadField {
    if (Utf8.length(raw) <= column.length()) {
      return raw;
    }
    if (truncateColumns) {
      return Utf8.truncate(raw, column.length());
    }
    throw new BadField(1204, "String length exceeds DDL length", 0);
  }

  private static String integer(String raw, long min, long max, String type) throws BadField {
    if (!INTEGER.matcher(raw).matches()) {
      int position = firstInvalidDigit(raw);
      throw new BadField(
          1207,
          "Invalid digit, Value '"
              + raw.charAt(position)
              + "', Pos "
              + position
              + ", Type: "
              + type,
          position);
    }
    BigInteger value = new BigInteger(raw);
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new BadField(1204, "Overflow (" + type + " valid range " + min + " to " + max + ")", 0);
    }
    return value.toString();
  }

  private static int firstInvalidDigit(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean sign = i == 0 && (c == '+' || c == '-') && raw.length() > 1;
      if (!sign && (c < '0' || c > '9')) {
        return i;
      }
    }
    return raw.length() - 1;
  }

  private static String floating(String raw, boolean single) throws BadField {
    String type = single ? "Float" : "Double";
    if (FLOAT_SPECIAL.matcher(raw).matches()) {
      String lower = raw.toLowerCase(Locale.ROOT);
      return lower.equals("nan") ? "NaN" : lower.startsWith("-") ? "-Infinity" : "Infinity";
    }
    if (!FLOAT.matcher(raw).matches()) {
      throw new BadField(1208, "Invalid " + type.toLowerCase(Locale.ROOT) + " format", 0);
    }
    if (single) {
      float value = Float.parseFloat(raw);
      if (Float.isInfinite(value)) {
        throw new BadField(1204, "Overflow for " + type, 0);
      }
      return Float.toString(value);
    }
    double value = Double.parseDouble(raw);
    if (Double.isInfinite(value)) {
      throw new BadField(1204, "Overflow for " + type, 0);
    }
    return Double.toString(value);
  }

  private static String decimal(Column column, String raw) throws BadField {
    if (!DECIMAL.matcher(raw).matches()) {
      throw new BadField(1209, "Invalid decimal format", 0);
    }
    BigDecimal value = new BigDecimal(raw);
    if (column.length() == 0) {
      return value.toPlainString();
    }
    // Redshift truncates extra scale (ROUNDEC would round).
    value = value.setScale(column.scale(), RoundingMode.DOWN);
    if (value.precision() - value.scale() > column.length() - column.scale()) {
      throw new BadField(1204, "Numeric data overflow (result precision)", 0);
    }
    return value.toPlainString();
  }

  private static String bool(String raw) throws BadField {
    String lower = raw.toLowerCase(Locale.ROOT);
    if (TRUE.contains(lower)) {
      return "t";
    }
    if (FALSE.contains(lower)) {
      return "f";
    }
    throw new BadField(1210, "Invalid boolean format", 0);
  }

  private String date(String raw) throws BadField {
    Matcher m = (dateFormatAuto ? AUTO_TIMESTAMP : DEFAULT_DATE).matcher(raw);
    if (!m.matches()) {
      throw new BadField(1205, "Invalid date format or value [YYYY-MM-DD]", 0);
    }
    try {
      LocalDate date = LocalDate.of(number(m, 1), number(m, 2), number(m, 3));
      if (date.getYear() == 0) {
        throw new BadField(1205, "Invalid date format or value [YYYY-MM-DD]", 0);
      }
      return date.toString();
    } catch (DateTimeException e) {
      throw new BadField(1205, "Invalid date format or value [YYYY-MM-DD]", 0);
    }
  }

  private String timestamp(String raw, boolean withZone) throws BadField {
    String format =
        timeFormatAuto ? "'auto'" : withZone ? "YYYY-MM-DD HH:MI:SSOF" : "YYYY-MM-DD HH:MI:SS";
    Matcher m = (timeFormatAuto ? AUTO_TIMESTAMP : DEFAULT_TIMESTAMP).matcher(raw);
    if (!m.matches() || !timeFormatAuto && !withZone && m.group(8) != null) {
      throw new BadField(1206, "Invalid timestamp format or value [" + format + "]", 0);
    }
    LocalDateTime local;
    try {
      String fraction = m.group(7) == null ? "" : m.group(7);
      int micros = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000").substring(0, 6));
      local =
          LocalDateTime.of(
              number(m, 1),
              number(m, 2),
              number(m, 3),
              number(m, 4),
              number(m, 5),
              number(m, 6),
              micros * 1000);
    } catch (DateTimeException e) {
      throw new BadField(1206, "Invalid timestamp format or value [" + format + "]", 0);
    }
    if (local.getYear() == 0) {
      throw new BadField(1206, "Invalid timestamp format or value [" + format + "]", 0);
    }
    if (!withZone) {
      // Redshift ignores an offset given for a TIMESTAMP column.
      return format(local);
    }
    String zone = m.group(8);
    if (zone != null && !zone.equals("Z")) {
      ZoneOffset offset;
      try {
        String digits = zone.replace(":", "");
        offset =
            ZoneOffset.ofHoursMinutes(
                Integer.parseInt(digits.substring(0, 3)),
                digits.length() > 3 ? Integer.parseInt(digits.charAt(0) + digits.substring(3)) : 0);
      } catch (DateTimeException e) {
        throw new BadField(1206, "Invalid timestamp format or value [" + format + "]", 0);
      }
      local = local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    return format(local) + "+00";
  }

  private static String format(LocalDateTime t) {
    return String.format(
        Locale.ROOT,
        "%04d-%02d-%02d %02d:%02d:%02d.%06d",
        t.getYear(),
        t.getMonthValue(),
        t.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        t.getSecond(),
        t.getNano() / 1000);
  }

  private static int number(Matcher m, int group) {
    String text = m.group(group);
    return text == null ? 0 : Integer.parseInt(text);
  }
}

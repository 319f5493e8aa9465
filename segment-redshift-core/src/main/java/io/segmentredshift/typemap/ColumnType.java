package io.segmentredshift.typemap;

import java.util.Locale;
import java.util.Objects;

/**
 * The type of a warehouse column: one of the five types this library writes (boolean, bigint,
 * double precision, timestamp, varchar) or a type found in the warehouse that it does not write.
 *
 * <p>A {@link Kind#VARCHAR} has a width in the dialect's {@linkplain LengthUnit unit} (UTF-8 bytes
 * on Redshift, characters for a PostgreSQL {@code varchar(n)}), or {@link #UNBOUNDED} for
 * PostgreSQL {@code text}. Every other kind has width 0. A {@link Kind#OTHER} keeps the catalog's
 * name of the type, e.g. {@code "integer"}; values are never written into such a column.
 *
 * @param kind the kind
 * @param width the varchar width, {@link #UNBOUNDED}, or 0 for other kinds
 * @param catalogName the catalog's type name for {@link Kind#OTHER}, else null
 */
public record ColumnType(Kind kind, int width, String catalogName) {
  /** The width of a varchar without a limit (PostgreSQL {@code text}). */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  /** {@code boolean}. */
  public static final ColumnType BOOLEAN = new ColumnType(Kind.BOOLEAN, 0, null);

  /** {@code bigint}: a signed 64-bit integer. */
  public static final ColumnType BIGINT = new ColumnType(Kind.BIGINT, 0, null);

  /** {@code double precision}: an IEEE 754 binary64 number. */
  public static final ColumnType DOUBLE = new ColumnType(Kind.DOUBLE, 0, null);

  /** A point in time in UTC with microsecond precision. */
  public static final ColumnType TIMESTAMP = new ColumnType(Kind.TIMESTAMP, 0, null);

  /** A varchar without a limit (PostgreSQL {@code text}). */
  public static final ColumnType TEXT = new ColumnType(Kind.VARCHAR, UNBOUNDED, null);

  /** What a column holds. */
  public enum Kind {
    BOOLEAN,
    BIGINT,
    DOUBLE,
    TIMESTAMP,
    VARCHAR,
    /** A type this library does not write, found in the warehouse catalog. */
    OTHER
  }

  /** Checks the combination of kind, width and catalog name. */
  public ColumnType {
    Objects.requireNonNull(kind, "kind == null");
    if (kind == Kind.VARCHAR) {
      if (width <= 0) {
        throw new IllegalArgumentException("width <= 0: " + width);
      }
    } else if (width != 0) {
      throw new IllegalArgumentException("width of " + kind + " != 0: " + width);
    }
    if ((kind == Kind.OTHER) != (catalogName != null)) {
      throw new IllegalArgumentException("catalogName is for OTHER only: " + kind);
    }
  }

  /** A varchar of the given width (in the dialect's unit). */
  public static ColumnType varchar(int width) {
    return new ColumnType(Kind.VARCHAR, width, null);
  }

  /** A type found in a catalog that this library does not write, e.g. {@code "integer"}. */
  public static ColumnType other(String catalogName) {
    Objects.requireNonNull(catalogName, "catalogName == null");
    return new ColumnType(Kind.OTHER, 0, catalogName.toLowerCase(Locale.ROOT));
  }

  /** True for a varchar without a width limit. */
  public boolean unbounded() {
    return kind == Kind.VARCHAR && width == UNBOUNDED;
  }

  /** A short neutral name, e.g. {@code bigint}, {@code varchar(512)}, {@code text}. */
  @Override
  public String toString() {
    return switch (kind) {
      case BOOLEAN -> "boolean";
      case BIGINT -> "bigint";
      case DOUBLE -> "double precision";
      case TIMESTAMP -> "timestamp";
      case VARCHAR -> unbounded() ? "text" : "varchar(" + width + ")";
      case OTHER -> catalogName;
    };
  }
}

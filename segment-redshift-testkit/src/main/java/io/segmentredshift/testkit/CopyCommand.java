package io.segmentredshift.testkit;

import io.segmentredshift.testkit.SqlLexer.Kind;
import io.segmentredshift.testkit.SqlLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed Redshift {@code COPY <table> [(columns)] FROM 's3://...' <options>} statement.
 *
 * <p>Only the options the emulation implements are accepted; any other option fails with an
 * SQLException (SQLSTATE 0A000) naming it, so a caller can never rely on behaviour the emulation
 * does not have. Exactly one authorization form is required, as on Redshift.
 *
 * @param table the table reference as written (PostgreSQL identifier syntax)
 * @param tableName the table's own name, for messages
 * @param columns the column list as PostgreSQL names, empty for all columns
 * @param source the {@code s3://bucket/key} text
 * @param manifest whether the source is a manifest
 * @param json true for JSON, false for CSV
 * @param jsonIgnoreCase JSON {@code 'auto ignorecase'}
 * @param delimiter the CSV field delimiter
 * @param quote the CSV quote character
 * @param nullAs the text that stands for NULL in CSV
 * @param gzip whether files are gzip-compressed
 * @param timeFormatAuto {@code TIMEFORMAT 'auto'}
 * @param dateFormatAuto {@code DATEFORMAT 'auto'}
 * @param acceptInvChars the replacement for invalid UTF-8 bytes, or null to reject them
 * @param truncateColumns cut over-long strings to the column width instead of failing
 * @param emptyAsNull load empty CHAR/VARCHAR fields as NULL
 * @param blanksAsNull load whitespace-only CHAR/VARCHAR fields as NULL
 * @param ignoreHeader lines to skip at the start of each file
 * @param maxError bad records to skip before the COPY fails
 */
record CopyCommand(
    String table,
    String tableName,
    List<String> columns,
    String source,
    boolean manifest,
    boolean json,
    boolean jsonIgnoreCase,
    char delimiter,
    char quote,
    String nullAs,
    boolean gzip,
    boolean timeFormatAuto,
    boolean dateFormatAuto,
    Character acceptInvChars,
    boolean truncateColumns,
    boolean emptyAsNull,
    boolean blanksAsNull,
    int ignoreHeader,
    int maxError) {

  /** Redshift's limit for MAXERROR; larger values are lowered to it. */
  static final int MAX_MAXERROR = 100_000;

  static CopyCommand parse(List<Token> tokens) throws SQLException {
    return new Parser(tokens).parse();
  }

  private static SQLException syntax(String message) {
    return new SQLException("COPY: " + message, "42601");
  }

  private static SQLException unsupported(String what) {
    return new SQLException(
        "COPY: " + what + " is not supported by the Redshift emulation (testkit)", "0A000");
  }

  private static final class Parser {
    private final List<Token> tokens;
    private int pos;
    private final Set<String> seen = new HashSet<>();

    private String table;
    private String tableName;
    private final List<String> columns = new ArrayList<>();
    private String source;
    private boolean manifest;
    private String format;
    private boolean jsonIgnoreCase;
    private Character delimiter;
    private Character quote;
    private String nullAs;
    private boolean gzip;
    private boolean timeFormatAuto;
    private boolean dateFormatAuto;
    private Character acceptInvChars;
    private boolean truncateColumns;
    private boolean emptyAsNull;
    private boolean blanksAsNull;
    private int ignoreHeader;
    private int maxError;
    private int authorizations;
    private boolean accessKey;
    private boolean secretKey;
    private boolean sessionToken;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    CopyCommand parse() throws SQLException {
      expectWord("COPY");
      parseTable();
      if (peekSymbol('(')) {
        parseColumns();
      }
      expectWord("FROM");
      source = string("FROM");
      while (pos < tokens.size()) {
        parseOption();
      }
      return validate();
    }

    private void parseTable() throws SQLException {
      int start = pos;
      tableName = identifier("table name");
      while (peekSymbol('.')) {
        pos++;
        tableName = identifier("table name");
      }
      Token first = tokens.get(start);
      Token last = tokens.get(pos - 1);
      table = first.sql().substring(first.start(), last.end());
    }

    private void parseColumns() throws SQLException {
      pos++;
      do {
        columns.add(identifier("column name"));
      } while (acceptSymbol(','));
      if (!acceptSymbol(')')) {
        throw syntax("expected ')' after the column list");
      }
    }

    /** A name in PostgreSQL's rules: unquoted folds to lower case, quoted stays as written. */
    private String identifier(String what) throws SQLException {
      Token t = next(what);
      if (t.kind() == Kind.WORD) {
        return t.text().toLowerCase(Locale.ROOT);
      }
      if (t.kind() == Kind.QUOTED_IDENTIFIER) {
        return t.value();
      }
      throw syntax("expected a " + what + " at '" + t.text() + "'");
    }

    private void parseOption() throws SQLException {
      Token t = next("an option");
      if (t.kind() != Kind.WORD) {
        throw syntax("expected an option at '" + t.text() + "'");
      }
      String option = t.upper();
      switch (option) {
        case "IAM_ROLE" -> {
          once(option);
          authorizations++;
          if (acceptWord("DEFAULT")) {
            return;
          }
          String role = string(option);
          for (String arn : role.split(",", -1)) {
            if (!arn.startsWith("arn:")) {
              throw syntax("IAM_ROLE must be DEFAULT or a role ARN (arn:aws:iam::...:role/...)");
            }
          }
        }
        case "CREDENTIALS" -> {
          once(option);
          authorizations++;
          acceptWord("AS");
          checkCredentials(string(option));
        }
        case "ACCESS_KEY_ID" -> {
          once(option);
          authorizations++;
          accessKey = true;
          string(option);
        }
        case "SECRET_ACCESS_KEY" -> {
          once(option);
          secretKey = true;
          string(option);
        }
        case "SESSION_TOKEN" -> {
          once(option);
          sessionToken = true;
          string(option);
        }
        case "REGION" -> {
          once(option);
          acceptWord("AS");
          string(option);
        }
        case "MANIFEST" -> {
          once(option);
          manifest = true;
        }
        case "FORMAT" -> {
          acceptWord("AS");
          Token f = next("a format after FORMAT");
          if (f.isWord("CSV") || f.isWord("JSON")) {
            format(f.upper());
          } else {
            throw unsupported("FORMAT AS " + f.text().toUpperCase(Locale.ROOT));
          }
        }
        case "CSV", "JSON" -> format(option);
        case "QUOTE" -> {
          once(option);
          acceptWord("AS");
          quote = singleCharacter(option, string(option));
        }
        case "DELIMITER" -> {
          once(option);
          acceptWord("AS");
          delimiter = singleCharacter(option, unescapeDelimiter(string(option)));
        }
        case "NULL" -> {
          once("NULL AS");
          acceptWord("AS");
          nullAs = string("NULL AS");
          if (nullAs.indexOf('\0') >= 0) {
            throw unsupported("NULL AS with a NUL character");
          }
        }
        case "GZIP" -> {
          once(option);
          gzip = true;
        }
        case "TIMEFORMAT" -> {
          once(option);
          acceptWord("AS");
          String value = string(option);
          if (!value.equals("auto")) {
            throw unsupported("TIMEFORMAT '" + value + "' (only 'auto' is emulated)");
          }
          timeFormatAuto = true;
        }
        case "DATEFORMAT" -> {
          once(option);
          acceptWord("AS");
          String value = string(option);
          if (!value.equals("auto")) {
            throw unsupported("DATEFORMAT '" + value + "' (only 'auto' is emulated)");
          }
          dateFormatAuto = true;
        }
        case "ACCEPTINVCHARS" -> {
          once(option);
          acceptWord("AS");
          char replacement = '?';
          if (pos < tokens.size() && tokens.get(pos).kind() == Kind.STRING) {
            replacement = singleCharacter(option, string(option));
          }
          if (replacement == 0 || replacement > 127) {
            throw syntax(
                "ACCEPTINVCHARS needs a single ASCII replacement character other than NUL");
          }
          acceptInvChars = replacement;
        }
        case "TRUNCATECOLUMNS" -> {
          once(option);
          truncateColumns = true;
        }
        case "EMPTYASNULL" -> {
          once(option);
          emptyAsNull = true;
        }
        case "BLANKSASNULL" -> {
          once(option);
          blanksAsNull = true;
        }
        case "IGNOREHEADER" -> {
          once(option);
          acceptWord("AS");
          ignoreHeader = number(option);
        }
        case "MAXERROR" -> {
          once(option);
          acceptWord("AS");
          maxError = Math.min(number(option), MAX_MAXERROR);
        }
        case "COMPUPDATE" -> {
          once(option);
          acceptAnyWord("PRESET", "ON", "TRUE", "OFF", "FALSE");
        }
        case "STATUPDATE" -> {
          once(option);
          acceptAnyWord("ON", "TRUE", "OFF", "FALSE");
        }
        default -> throw unsupported("option " + option);
      }
    }

    private void format(String which) throws SQLException {
      once("FORMAT");
      format = which;
      if (which.equals("CSV")) {
        if (acceptWord("QUOTE")) {
          once("QUOTE");
          acceptWord("AS");
          quote = singleCharacter("QUOTE", string("QUOTE"));
        }
        return;
      }
      acceptWord("AS");
      String option = string("JSON");
      switch (option) {
        case "auto" -> jsonIgnoreCase = false;
        case "auto ignorecase" -> jsonIgnoreCase = true;
        default -> throw unsupported("JSON '" + option + "' (only 'auto' and 'auto ignorecase')");
      }
    }

    private CopyCommand validate() throws SQLException {
      if (authorizations == 0) {
        throw new SQLException(
            "COPY: an authorization is required: IAM_ROLE, CREDENTIALS or"
                + " ACCESS_KEY_ID/SECRET_ACCESS_KEY",
            "28000");
      }
      if (authorizations > 1) {
        throw syntax(
            "IAM_ROLE, CREDENTIALS and ACCESS_KEY_ID/SECRET_ACCESS_KEY cannot be combined");
      }
      if (accessKey != secretKey || sessionToken && !accessKey) {
        throw syntax("ACCESS_KEY_ID and SECRET_ACCESS_KEY go together; SESSION_TOKEN needs both");
      }
      if (format == null) {
        throw unsupported(
            "COPY without CSV or JSON (Redshift's default pipe-delimited text format)");
      }
      boolean json = format.equals("JSON");
      if (json) {
        if (delimiter != null) {
          throw syntax("DELIMITER cannot be used with JSON");
        }
        if (nullAs != null) {
          throw syntax("NULL AS cannot be used with JSON");
        }
        if (ignoreHeader > 0) {
          throw unsupported("IGNOREHEADER with JSON");
        }
      }
      if (quote != null && json) {
        throw syntax("QUOTE can be used only with CSV");
      }
      char d = delimiter == null ? ',' : delimiter;
      char q = quote == null ? '"' : quote;
      if (d == q || d == '\n' || d == '\r' || q == '\n' || q == '\r' || d == 0 || q == 0) {
        throw syntax("DELIMITER and QUOTE must be different characters, not newline or NUL");
      }
      if (!source.startsWith("s3://") || source.indexOf('/', 5) < 0) {
        throw unsupported("a source other than 's3://bucket/key' ('" + source + "')");
      }
      return new CopyCommand(
          table,
          tableName,
          List.copyOf(columns),
          source,
          manifest,
          json,
          jsonIgnoreCase,
          d,
          q,
          nullAs == null ? "\\N" : nullAs,
          gzip,
          timeFormatAuto,
          dateFormatAuto,
          acceptInvChars,
          truncateColumns,
          emptyAsNull,
          blanksAsNull,
          ignoreHeader,
          maxError);
    }

    /** Checks the two CREDENTIALS forms without keeping any secret. */
    private static void checkCredentials(String credentials) throws SQLException {
      boolean role = credentials.startsWith("aws_iam_role=arn:");
      boolean keys =
          credentials.startsWith("aws_access_key_id=")
              && credentials.contains(";aws_secret_access_key=");
      if (!role && !keys || credentials.contains(" ")) {
        throw syntax(
            "CREDENTIALS must be 'aws_iam_role=<arn>' or"
                + " 'aws_access_key_id=<id>;aws_secret_access_key=<key>[;token=<token>]'");
      }
    }

    /** Redshift accepts {@code '\t'} and octal {@code '\ddd'} for the delimiter. */
    private static String unescapeDelimiter(String value) {
      if (value.equals("\\t")) {
        return "\t";
      }
      if (value.matches("\\\\[0-7]{3}")) {
        return String.valueOf((char) Integer.parseInt(value.substring(1), 8));
      }
      return value;
    }

    private static char singleCharacter(String option, String value) throws SQLException {
      if (value.length() != 1 || value.charAt(0) > 127) {
        throw syntax(option + " must be a single ASCII character");
      }
      return value.charAt(0);
    }

    private void once(String option) throws SQLException {
      if (!seen.add(option)) {
        throw syntax("conflicting or redundant options: " + option + " given twice");
      }
    }

    private Token next(String what) throws SQLException {
      if (pos >= tokens.size()) {
        throw syntax("expected " + what + " at the end of the statement");
      }
      return tokens.get(pos++);
    }

    private String string(String option) throws SQLException {
      Token t = next("a quoted value after " + option);
      if (!t.isPlainString()) {
        throw syntax("expected a quoted value after " + option + " at '" + t.text() + "'");
      }
      return t.value();
    }

    private int number(String option) throws SQLException {
      Token t = next("a number after " + option);
      if (t.kind() != Kind.NUMBER || !t.text().matches("[0-9]{1,9}")) {
        throw syntax("expected a whole number after " + option + " at '" + t.text() + "'");
      }
      return Integer.parseInt(t.text());
    }

    private void expectWord(String word) throws SQLException {
      Token t = next(word);
      if (!t.isWord(word)) {
        throw syntax("expected " + word + " at '" + t.text() + "'");
      }
    }

    private boolean acceptWord(String word) {
      if (pos < tokens.size() && tokens.get(pos).isWord(word)) {
        pos++;
        return true;
      }
      return false;
    }

    private void acceptAnyWord(String... words) {
      for (String word : words) {
        if (acceptWord(word)) {
          return;
        }
      }
    }

    private boolean peekSymbol(char c) {
      return pos < tokens.size() && tokens.get(pos).isSymbol(c);
    }

    private boolean acceptSymbol(char c) {
      if (peekSymbol(c)) {
        pos++;
        return true;
      }
      return false;
    }
  }
}

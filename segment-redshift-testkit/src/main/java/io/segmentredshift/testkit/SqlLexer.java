package io.segmentredshift.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens the way PostgreSQL does, just far enough to tell words from string
 * literals, quoted identifiers, dollar quotes and comments. The emulation never looks inside a
 * literal, a quoted identifier or a comment, so rewriting stays conservative.
 */
final class SqlLexer {
  enum Kind {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    SYMBOL,
    SPACE,
    COMMENT
  }

  /** One token: its kind and where it sits in the text. */
  record Token(Kind kind, String sql, int start, int end) {
    String text() {
      return sql.substring(start, end);
    }

    boolean significant() {
      return kind != Kind.SPACE && kind != Kind.COMMENT;
    }

    boolean isWord(String word) {
      return kind == Kind.WORD && text().equalsIgnoreCase(word);
    }

    boolean isSymbol(char c) {
      return kind == Kind.SYMBOL && end - start == 1 && sql.charAt(start) == c;
    }

    /** The upper-case text of a word. */
    String upper() {
      return text().toUpperCase(Locale.ROOT);
    }

    /**
     * The content of a standard string literal ({@code ''} stands for one quote) or of a quoted
     * identifier ({@code ""} stands for one double quote).
     */
    String value() {
      String text = text();
      if (kind == Kind.STRING && text.startsWith("'") && text.endsWith("'") && text.length() > 1) {
        return text.substring(1, text.length() - 1).replace("''", "'");
      }
      if (kind == Kind.QUOTED_IDENTIFIER && text.endsWith("\"") && text.length() > 1) {
        return text.substring(1, text.length() - 1).replace("\"\"", "\"");
      }
      return text;
    }

    /** Whether this is a plain {@code '...'} literal (not E'', not dollar-quoted). */
    boolean isPlainString() {
      return kind == Kind.STRING && sql.charAt(start) == '\'';
    }
  }

  private final String sql;
  private int pos;

  private SqlLexer(String sql) {
    this.sql = sql;
  }

  static List<Token> tokenize(String sql) {
    return new SqlLexer(sql).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (pos < sql.length()) {
      int start = pos;
      Kind kind = next();
      tokens.add(new Token(kind, sql, start, pos));
    }
    return tokens;
  }

  private Kind next() {
    char c = sql.charAt(pos);
    if (Character.isWhitespace(c)) {
      while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) {
        pos++;
      }
      return Kind.SPACE;
    }
    if (c == '-' && peek(1) == '-') {
      int eol = sql.indexOf('\n', pos);
      pos = eol < 0 ? sql.length() : eol + 1;
      return Kind.COMMENT;
    }
    if (c == '/' && peek(1) == '*') {
      blockComment();
      return Kind.COMMENT;
    }
    if (c == '\'') {
      quoted('\'', false);
      return Kind.STRING;
    }
    if (c == '"') {
      quoted('"', false);
      return Kind.QUOTED_IDENTIFIER;
    }
    if ((c == 'E' || c == 'e') && peek(1) == '\'') {
      pos++;
      quoted('\'', true);
      return Kind.STRING;
    }
    if (c == '$' && dollarQuote()) {
      return Kind.STRING;
    }
    if (isWordStart(c)) {
      while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
        pos++;
      }
      return Kind.WORD;
    }
    if (Character.isDigit(c)) {
      while (pos < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
        pos++;
      }
      return Kind.NUMBER;
    }
    pos++;
    return Kind.SYMBOL;
  }

  private char peek(int ahead) {
    int at = pos + ahead;
    return at < sql.length() ? sql.charAt(at) : '\0';
  }

  private void blockComment() {
    int depth = 0;
    while (pos < sql.length()) {
      if (sql.startsWith("/*", pos)) {
        depth++;
        pos += 2;
      } else if (sql.startsWith("*/", pos)) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
      } else {
        pos++;
      }
    }
  }

  /** From an opening quote to its closing one; a doubled quote is part of the content. */
  private void quoted(char quote, boolean backslashEscapes) {
    pos++;
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (backslashEscapes && c == '\\') {
        pos += 2;
      } else if (c == quote) {
        if (peek(1) == quote) {
          pos += 2;
        } else {
          pos++;
          return;
        }
      } else {
        pos++;
      }
    }
    pos = sql.length();
  }

  /** A {@code $tag$ ... $tag$} string; false (nothing consumed) for {@code $1} and the like. */
  private boolean dollarQuote() {
    int end = pos + 1;
    while (end < sql.length() && isWordPart(sql.charAt(end)) && sql.charAt(end) != '$') {
      end++;
    }
    if (end >= sql.length() || sql.charAt(end) != '$') {
      return false;
    }
    String tag = sql.substring(pos, end + 1);
    if (tag.length() > 2 && Character.isDigit(tag.charAt(1))) {
      return false;
    }
    int close = sql.indexOf(tag, end + 1);
    pos = close < 0 ? sql.length() : close + tag.length();
    return true;
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_' || c > 127;
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
  }
}

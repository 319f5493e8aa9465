package io.segmentredshift.testkit;

import io.segmentredshift.testkit.SqlLexer.Kind;
import io.segmentredshift.testkit.SqlLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one place that reads the SQL text an emulated connection is given, and decides what
 * PostgreSQL runs instead:
 *
 * <ul>
 *   <li>{@code COPY ... FROM 's3://...'} is executed by the emulation ({@link Copy});
 *   <li>{@code SET query_group ...} and {@code RESET query_group} do nothing;
 *   <li>in {@code CREATE TABLE} and {@code ALTER TABLE}, Redshift-only attributes ({@code
 *       DISTSTYLE}, {@code DISTKEY}, {@code [COMPOUND|INTERLEAVED] SORTKEY}, {@code ENCODE}) are
 *       removed;
 *   <li>{@code pg_last_copy_id()} becomes a call with the session's last COPY id.
 * </ul>
 *
 * Only words are matched: string literals, quoted identifiers, dollar quotes and comments are never
 * changed.
 */
final class RedshiftSql {
  private static final Set<String> DISTSTYLES = Set.of("ALL", "EVEN", "KEY", "AUTO");

  private RedshiftSql() {}

  /** What to do with a piece of SQL text. */
  sealed interface Plan permits Execute, Copy, Ignore {}

  /** Run this SQL on PostgreSQL. */
  record Execute(String sql) implements Plan {}

  /** Emulate this COPY statement (its significant tokens, without the closing semicolon). */
  record Copy(String sql, List<Token> tokens) implements Plan {}

  /** Nothing to run: the text only held statements that are no-ops here. */
  record Ignore() implements Plan {}

  static Plan plan(String sql, int lastCopyId) throws SQLException {
    List<Token> tokens = SqlLexer.tokenize(sql);
    List<List<Integer>> statements = splitStatements(tokens);
    String[] replacement = new String[tokens.size()];
    boolean[] removed = new boolean[tokens.size()];
    Copy copy = null;
    int kept = 0;
    for (List<Integer> statement : statements) {
      List<Integer> significant = new ArrayList<>();
      for (int i : statement) {
        if (tokens.get(i).significant() && !tokens.get(i).isSymbol(';')) {
          significant.add(i);
        }
      }
      if (significant.isEmpty()) {
        continue;
      }
      if (isCopyFromString(tokens, significant)) {
        List<Token> copyTokens = significant.stream().map(tokens::get).toList();
        int from = tokens.get(significant.get(0)).start();
        int to = tokens.get(significant.get(significant.size() - 1)).end();
        copy = new Copy(sql.substring(from, to), copyTokens);
        kept++;
        continue;
      }
      if (isQueryGroup(tokens, significant)) {
        for (int i : statement) {
          removed[i] = true;
        }
        continue;
      }
      kept++;
      if (isTableDdl(tokens, significant)) {
        stripRedshiftAttributes(tokens, significant, removed);
      }
      rewriteLastCopyId(tokens, significant, lastCopyId, replacement, removed);
    }
    if (copy != null) {
      if (kept > 1) {
        throw new SQLException(
            "The Redshift emulation runs COPY ... FROM 's3://...' only as a statement of its own",
            "0A000");
      }
      return copy;
    }
    if (kept == 0) {
      return new Ignore();
    }
    StringBuilder out = new StringBuilder(sql.length());
    for (int i = 0; i < tokens.size(); i++) {
      if (replacement[i] != null) {
        out.append(replacement[i]);
      } else if (!removed[i]) {
        out.append(tokens.get(i).text());
      }
    }
    return new Execute(out.toString());
  }

  /** Token indexes per statement; each statement keeps its closing semicolon. */
  private static List<List<Integer>> splitStatements(List<Token> tokens) {
    List<List<Integer>> statements = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      current.add(i);
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        depth = Math.max(0, depth - 1);
      } else if (t.isSymbol(';') && depth == 0) {
        statements.add(current);
        current = new ArrayList<>();
      }
    }
    statements.add(current);
    return statements;
  }

  /** {@code COPY ... FROM '<literal>'}: Redshift's COPY from a remote source. */
  private static boolean isCopyFromString(List<Token> tokens, List<Integer> significant) {
    if (!tokens.get(significant.get(0)).isWord("COPY")) {
      return false;
    }
    for (int k = 1; k + 1 < significant.size(); k++) {
      if (tokens.get(significant.get(k)).isWord("FROM")
          && tokens.get(significant.get(k + 1)).kind() == Kind.STRING) {
        return true;
      }
    }
    return false;
  }

  private static boolean isQueryGroup(List<Token> tokens, List<Integer> significant) {
    Token first = tokens.get(significant.get(0));
    if (significant.size() < 2 || !tokens.get(significant.get(1)).isWord("query_group")) {
      return false;
    }
    return first.isWord("RESET") && significant.size() == 2
        || first.isWord("SET") && significant.size() >= 4;
  }

  private static boolean isTableDdl(List<Token> tokens, List<Integer> significant) {
    Token first = tokens.get(significant.get(0));
    if (first.isWord("ALTER")) {
      return significant.size() > 1 && tokens.get(significant.get(1)).isWord("TABLE");
    }
    if (!first.isWord("CREATE")) {
      return false;
    }
    // CREATE [LOCAL|GLOBAL] [TEMP|TEMPORARY|UNLOGGED] TABLE ...
    for (int k = 1; k < Math.min(5, significant.size()); k++) {
      if (tokens.get(significant.get(k)).isWord("TABLE")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Marks Redshift-only attributes as removed. A column-level {@code DISTKEY}, {@code SORTKEY} or
   * {@code ENCODE} is only recognised after the column's name and type, never where a column name
   * may stand (right after {@code (} or {@code ,}), so a column called {@code distkey} survives.
   */
  private static void stripRedshiftAttributes(
      List<Token> tokens, List<Integer> significant, boolean[] removed) {
    int n = significant.size();
    for (int k = 0; k < n; k++) {
      Token t = tokens.get(significant.get(k));
      if (t.kind() != Kind.WORD) {
        continue;
      }
      Token previous = k > 0 ? tokens.get(significant.get(k - 1)) : null;
      boolean atColumnStart = previous == null || previous.isSymbol('(') || previous.isSymbol(',');
      Token next = k + 1 < n ? tokens.get(significant.get(k + 1)) : null;
      String word = t.upper();
      int last = -1;
      if (word.equals("DISTSTYLE") && next != null && DISTSTYLES.contains(next.upper())) {
        last = k + 1;
      } else if ((word.equals("COMPOUND") || word.equals("INTERLEAVED"))
          && next != null
          && next.isWord("SORTKEY")
          && k + 2 < n
          && tokens.get(significant.get(k + 2)).isSymbol('(')) {
        last = closingParen(tokens, significant, k + 2);
      } else if (word.equals("DISTKEY") || word.equals("SORTKEY")) {
        if (next != null && next.isSymbol('(')) {
          last = closingParen(tokens, significant, k + 1);
        } else if (word.equals("SORTKEY") && next != null && next.isWord("AUTO")) {
          last = k + 1;
        } else if (!atColumnStart) {
          last = k;
        }
      } else if (word.equals("ENCODE")
          && !atColumnStart
          && next != null
          && next.kind() == Kind.WORD) {
        last = k + 1;
      }
      if (last >= 0) {
        int from = significant.get(k);
        int to = significant.get(last);
        for (int i = from; i <= to; i++) {
          removed[i] = true;
        }
        k = last;
      }
    }
  }

  private static int closingParen(List<Token> tokens, List<Integer> significant, int open) {
    int depth = 0;
    for (int k = open; k < significant.size(); k++) {
      Token t = tokens.get(significant.get(k));
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        depth--;
        if (depth == 0) {
          return k;
        }
      }
    }
    return -1;
  }

  /**
   * {@code pg_last_copy_id()} (optionally {@code pg_catalog.}-qualified) becomes {@code
   * public.pg_last_copy_id(<id>)}, a function the emulation installs that returns its argument, so
   * the result column keeps its name.
   */
  private static void rewriteLastCopyId(
      List<Token> tokens,
      List<Integer> significant,
      int lastCopyId,
      String[] replacement,
      boolean[] removed) {
    for (int k = 0; k + 2 < significant.size(); k++) {
      if (!tokens.get(significant.get(k)).isWord("pg_last_copy_id")
          || !tokens.get(significant.get(k + 1)).isSymbol('(')
          || !tokens.get(significant.get(k + 2)).isSymbol(')')) {
        continue;
      }
      int first = k;
      if (k >= 2
          && tokens.get(significant.get(k - 1)).isSymbol('.')
          && tokens.get(significant.get(k - 2)).isWord("pg_catalog")) {
        first = k - 2;
      } else if (k >= 1 && tokens.get(significant.get(k - 1)).isSymbol('.')) {
        continue;
      }
      int from = significant.get(first);
      int to = significant.get(k + 2);
      for (int i = from; i <= to; i++) {
        removed[i] = true;
      }
      replacement[from] = "public.pg_last_copy_id(" + lastCopyId + ")";
      k += 2;
    }
  }
}

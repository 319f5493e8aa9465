package io.segmentredshift.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A parse failure on its way out of the recursive reader: each level adds its field name or index
 * while the stack unwinds, and the entry point turns it into a {@link MalformedEventException} with
 * the batch index or line. No stack trace: it is control flow, never shown.
 *
 * <p>The input counts as truncated when it ends inside a string or a structure; a cut inside a
 * literal ({@code tr}, {@code 1.}) reads as {@code NOT_JSON}, since Jackson reports it as a bad
 * token.
 *
 * <p>A fatal failure means the JSON itself is broken (the parser cannot go on to the next item);
 * any other failure leaves the token stream intact, so a batch can skip the item and continue.
 */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final Reason reason;
  final String detail;
  final boolean fatal;
  private String[] segments = new String[4];
  private int count;

  Failure(Reason reason, String detail, boolean fatal) {
    super(detail, null, false, false);
    this.reason = reason;
    this.detail = detail;
    this.fatal = fatal;
  }

  /** An item-level failure: the token stream is still intact. */
  static Failure of(Reason reason, String detail) {
    return new Failure(reason, detail, false);
  }

  /** A failure of the JSON library, always fatal; its message is not kept (it may quote input). */
  static Failure of(IOException e) {
    if (e instanceof StreamConstraintsException) {
      String m = String.valueOf(((StreamConstraintsException) e).getOriginalMessage());
      if (m.contains("NestingDepth")) {
        return new Failure(Reason.TOO_DEEP, "nesting is too deep", true);
      }
      if (m.contains("NumberLength")) {
        return new Failure(Reason.NUMBER_TOO_LONG, "a number is too long", true);
      }
      if (m.contains("StringLength") || m.contains("NameLength")) {
        return new Failure(Reason.STRING_TOO_LONG, "a string is too long", true);
      }
      return new Failure(Reason.TOO_LARGE, "the document is too large", true);
    }
    if (e instanceof JsonEOFException) {
      return new Failure(Reason.TRUNCATED, "the JSON ends unexpectedly", true);
    }
    if (e instanceof CharConversionException) {
      return new Failure(Reason.INVALID_UTF8, "the bytes are not UTF-8", true);
    }
    if (e instanceof JsonProcessingException jpe) {
      String m = String.valueOf(jpe.getOriginalMessage());
      if (m.startsWith("Invalid UTF-8")) {
        return new Failure(Reason.INVALID_UTF8, "the bytes are not UTF-8", true);
      }
      if (m.contains("end-of-input")) {
        return new Failure(Reason.TRUNCATED, "the JSON ends unexpectedly", true);
      }
    }
    return new Failure(Reason.NOT_JSON, "not valid JSON", true);
  }

  /** Adds the enclosing field name (unwinding: innermost first). */
  Failure in(String name) {
    return push(escape(name));
  }

  /** Adds the enclosing array index (unwinding: innermost first). */
  Failure at(int index) {
    return push(Integer.toString(index));
  }

  private Failure push(String segment) {
    if (count == segments.length) {
      segments = Arrays.copyOf(segments, count * 2);
    }
    segments[count++] = segment;
    return this;
  }

  String pointer() {
    if (count == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = count - 1; i >= 0; i--) {
      b.append('/').append(segments[i]);
    }
    return b.toString();
  }

  MalformedEventException toException(int index, long line) {
    return new MalformedEventException(reason, detail, pointer(), index, line);
  }

  /** RFC 6901: {@code ~} becomes {@code ~0} and {@code /} becomes {@code ~1}. */
  static String escape(String name) {
    if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
      return name;
    }
    return name.replace("~", "~0").replace("/", "~1");
  }
}

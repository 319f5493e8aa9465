package io.segmentredshift.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes events as canonical JSON in UTF-8: Spec fields in a fixed order, then the extras; absent
 * fields and empty objects left out; no whitespace. Strings are escaped as JavaScript's {@code
 * JSON.stringify} escapes them, including a lone surrogate as an escape sequence, so any Java
 * string value reads back unchanged. Numbers are written so that they read back as the same type
 * and value: doubles as {@link Double#toString(double)}, a BigDecimal always with a fraction or an
 * exponent.
 */
final class JsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf = new byte[1024];
  private int len;
  private final StringBuilder scratch = new StringBuilder(40);
  private boolean first;

  /**
   * Writes {@code e}; with {@code contentOnly}, for a derived messageId, without messageId, sentAt
   * and receivedAt (they vary between deliveries of one message).
   */
  JsonWriter event(Event e, boolean contentOnly) {
    put('{');
    first = true;
    stringField("type", e.type().wireName());
    if (!contentOnly) {
      stringField("messageId", e.messageId());
    }
    stringField("anonymousId", e.anonymousId());
    stringField("userId", e.userId());
    instantField("timestamp", e.timestamp());
    instantField("originalTimestamp", e.originalTimestamp());
    if (!contentOnly) {
      instantField("sentAt", e.sentAt());
      instantField("receivedAt", e.receivedAt());
    }
    stringField("event", e.event());
    stringField("name", e.name());
    stringField("category", e.category());
    stringField("groupId", e.groupId());
    stringField("previousId", e.previousId());
    objectField("traits", e.traits());
    objectField("properties", e.properties());
    objectField("context", e.context());
    objectField("integrations", e.integrations());
    if (e.version() != null) {
      name("version");
      value(e.version());
    }
    stringField("channel", e.channel());
    stringField("writeKey", e.writeKey());
    for (Map.Entry<String, Object> extra : e.extras().entrySet()) {
      name(extra.getKey());
      value(extra.getValue());
    }
    put('}');
    return this;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void digest(MessageDigest digest) {
    digest.update(buf, 0, len);
  }

  private void stringField(String name, String value) {
    if (value != null) {
      name(name);
      string(value);
    }
  }

  private void instantField(String name, Instant value) {
    if (value != null) {
      name(name);
      scratch.setLength(0);
      Timestamps.append(scratch, value);
      string(scratch);
    }
  }

  private void objectField(String name, Map<String, Object> value) {
    if (!value.isEmpty()) {
      name(name);
      object(value);
    }
  }

  private void name(String name) {
    if (!first) {
      put(',');
    }
    first = false;
    string(name);
    put(':');
  }

  private void value(Object v) {
    if (v == null) {
      ascii("null");
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Boolean b) {
      ascii(b ? "true" : "false");
    } else if (v instanceof Long || v instanceof BigInteger || v instanceof Double) {
      ascii(v.toString());
    } else if (v instanceof BigDecimal d) {
      ascii(d.toString());
      if (d.scale() == 0) {
        // A plain integer text would read back as an integer: the exponent keeps it a decimal.
        ascii("E0");
      }
    } else if (v instanceof Map<?, ?> m) {
      object(m);
    } else if (v instanceof List<?> list) {
      put('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          put(',');
        }
        value(list.get(i));
      }
      put(']');
    } else {
      throw new IllegalStateException("not a JSON value: " + v.getClass().getName());
    }
  }

  private void object(Map<?, ?> m) {
    put('{');
    boolean firstEntry = true;
    for (Map.Entry<?, ?> entry : m.entrySet()) {
      if (!firstEntry) {
        put(',');
      }
      firstEntry = false;
      string((String) entry.getKey());
      put(':');
      value(entry.getValue());
    }
    put('}');
  }

  private void string(CharSequence s) {
    int n = s.length();
    ensure(n + 2);
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          ensure(1);
          buf[len++] = (byte) c;
        } else {
          escape(c);
        }
      } else if (c < 0x800) {
        ensure(2);
        buf[len++] = (byte) (0xc0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        ensure(4);
        buf[len++] = (byte) (0xf0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        escape(c);
      } else {
        ensure(3);
        buf[len++] = (byte) (0xe0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    ensure(1);
    buf[len++] = '"';
  }

  private void escape(char c) {
    ensure(6);
    buf[len++] = '\\';
    switch (c) {
      case '"' -> buf[len++] = '"';
      case '\\' -> buf[len++] = '\\';
      case '\b' -> buf[len++] = 'b';
      case '\f' -> buf[len++] = 'f';
      case '\n' -> buf[len++] = 'n';
      case '\r' -> buf[len++] = 'r';
      case '\t' -> buf[len++] = 't';
      default -> {
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xf];
        buf[len++] = HEX[(c >> 8) & 0xf];
        buf[len++] = HEX[(c >> 4) & 0xf];
        buf[len++] = HEX[c & 0xf];
      }
    }
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void put(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}

package io.segmentredshift.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA1 as Segment computes {@code X-Signature}, and its lowercase hex form. */
final class Hmac {
  static final int LENGTH = 20;
  private static final String ALGORITHM = "HmacSHA1";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Hmac() {}

  /** The key for a secret, as Node's {@code createHmac('sha1', secret)} uses it: its UTF-8. */
  static SecretKeySpec key(String secret, String name) {
    Objects.requireNonNull(secret, name + " == null");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  static byte[] sha1(SecretKeySpec key, byte[] data, int offset, int length) {
    Mac mac;
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA1.
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
    mac.update(data, offset, length);
    return mac.doFinal();
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** The bytes of a hex string (either case), or null when it is not hex of an even length. */
  static byte[] unhex(String hex) {
    if ((hex.length() & 1) != 0) {
      return null;
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}

package io.segmentredshift.examples.server;

import java.util.regex.Pattern;

/** Hides secrets in text that is shown: configuration echoes and messages. */
final class Masking {
  static final String MASK = "******";

  /** Key-value settings in JDBC URLs that carry secrets (pgjdbc and the Redshift driver). */
  private static final Pattern URL_SECRET =
      Pattern.compile(
          "(?i)((?:password|pwd|secretaccesskey|accesskeyid|sessiontoken|token|secret"
              + "|sslpassword|iamsecret)=)[^&;]*");

  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

  private Masking() {}

  /** A JDBC URL with the values of password-like settings and user-info passwords masked. */
  static String jdbcUrl(String url) {
    String masked = URL_SECRET.matcher(url).replaceAll("$1" + MASK);
    return USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
  }

  /** The mask, or "(none)" when there is no secret. */
  static String secret(String value) {
    return value == null ? "(none)" : MASK;
  }
}

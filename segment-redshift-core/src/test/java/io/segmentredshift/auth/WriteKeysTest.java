package io.segmentredshift.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.auth.AuthenticationException.Reason;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteKeysTest {
  private final WriteKeys keys =
      WriteKeys.of(Map.of("wk1", "web", "wk2", "web", "srv-key", "backend"));

  private AuthenticationException refused(Reason reason, String authorization, String body) {
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> keys.authenticate(authorization, body));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void buildsTheBasicHeaderClientsSend() {
    // printf 'wk1:' | base64
    assertEquals("Basic d2sxOg==", WriteKeys.basicAuthorization("wk1"));
  }

  @Test
  void mapsAKeyFromBasicCredentialsToItsSource() {
    assertEquals("web", keys.authenticate("Basic d2sxOg==", null));
    assertEquals("web", keys.authenticate(WriteKeys.basicAuthorization("wk2"), null));
    assertEquals("backend", keys.authenticate(WriteKeys.basicAuthorization("srv-key"), null));
    assertEquals("backend", keys.authenticate("basic   " + base64("srv-key:ignored") + " ", null));
    assertEquals("backend", keys.authenticate("Basic " + base64("srv-key"), null));
  }

  @Test
  void mapsAKeyFromTheBodyToItsSource() {
    assertEquals("backend", keys.authenticate(null, "srv-key"));
    assertEquals("web", keys.authenticate("", "wk1"));
    // Segment's OAuth option: a bearer token, with the write key in the body.
    assertEquals("web", keys.authenticate("Bearer eyJhbGciOi", "wk1"));
  }

  @Test
  void letsTheHeaderDecideWhenBothAreThere() {
    assertEquals("web", keys.authenticate(WriteKeys.basicAuthorization("wk1"), "srv-key"));
    refused(Reason.UNKNOWN_WRITE_KEY, WriteKeys.basicAuthorization("nope"), "srv-key");
  }

  @Test
  void tellsMissingMalformedAndUnknownKeysApart() {
    refused(Reason.MISSING_WRITE_KEY, null, null);
    refused(Reason.MISSING_WRITE_KEY, null, "");
    refused(Reason.MISSING_WRITE_KEY, "Bearer token", null);
    refused(Reason.MALFORMED_WRITE_KEY, "Basic !!!not base64", null);
    refused(Reason.MALFORMED_WRITE_KEY, "Basic", null);
    refused(Reason.MALFORMED_WRITE_KEY, "Basic " + base64(":password"), null);
    refused(Reason.MALFORMED_WRITE_KEY, "Digest username=\"wk1\"", "wk1");
    refused(Reason.UNKNOWN_WRITE_KEY, WriteKeys.basicAuthorization("WK1"), null);
    refused(Reason.UNKNOWN_WRITE_KEY, null, "wk1 ");
    refused(Reason.UNKNOWN_WRITE_KEY, null, "wk");
  }

  @Test
  void neverShowsKeys() {
    assertEquals("WriteKeys{keys=3}", keys.toString());
    for (String key : new String[] {"secret-guess-1", "srv-key-x"}) {
      AuthenticationException e =
          assertThrows(AuthenticationException.class, () -> keys.authenticate(null, key));
      assertFalse(e.getMessage().contains(key), e.getMessage());
    }
  }

  @Test
  void refusesEmptyKeysAndSources() {
    assertThrows(IllegalArgumentException.class, () -> WriteKeys.of(Map.of()));
    assertThrows(IllegalArgumentException.class, () -> WriteKeys.of(Map.of("", "web")));
    assertThrows(IllegalArgumentException.class, () -> WriteKeys.of(Map.of("k", "")));
    Map<String, String> nullSource = new HashMap<>();
    nullSource.put("k", null);
    assertThrows(NullPointerException.class, () -> WriteKeys.of(nullSource));
  }

  private static String base64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}

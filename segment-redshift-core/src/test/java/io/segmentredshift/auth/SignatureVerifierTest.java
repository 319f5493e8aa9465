package io.segmentredshift.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.auth.AuthenticationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pinned signatures were produced with OpenSSL 3.0, independently of this code: {@code openssl
 * dgst -sha1 -hmac <secret> <file>} for files, {@code printf '%s' '<body>' | openssl dgst -sha1
 * -hmac <secret>} for literal bodies.
 */
class SignatureVerifierTest {
  private static final String SECRET = "segment-shared-secret";
  private static final String TRACK = "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"A\"}";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] identifySample() throws IOException {
    try (InputStream in =
        SignatureVerifierTest.class.getResourceAsStream("/samples/identify.json")) {
      return in.readAllBytes();
    }
  }

  private static AuthenticationException refused(Reason reason, Runnable call) {
    AuthenticationException e = assertThrows(AuthenticationException.class, call::run);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void matchesOpensslOnTheIdentifySampleFromSegmentsDocs() throws IOException {
    byte[] body = identifySample();
    // openssl dgst -sha1 -hmac segment-shared-secret identify.json
    String expected = "fdc8904f3274e2490ac6f22e6ad5b270921855c2";
    assertEquals(expected, Signer.of(SECRET).sign(body));
    SignatureVerifier.of(SECRET).verify(body, expected);
  }

  @Test
  void matchesOpensslOnOtherBodiesAndSecrets() {
    // The body holds é, ☕, 日本 and 😀 as UTF-8 (file bytes checked with xxd).
    byte[] unicode =
        utf8("{\"type\":\"track\",\"event\":\"Caf\u00e9 \u2615 \u65e5\u672c \ud83d\ude00\"}");
    assertEquals("5792b2ab205fdea1f5d1e7acb4ea6ea5b3854f04", Signer.of(SECRET).sign(unicode));
    assertEquals(
        "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
        Signer.of("key").sign(utf8("The quick brown fox jumps over the lazy dog")));
    assertEquals("f42bb0eeb018ebbd4597ae7213711ec60760843f", Signer.of("key").sign(new byte[0]));
    // A non-ASCII secret is keyed by its UTF-8 bytes, as Node's createHmac does.
    assertEquals(
        "23735ba17500facc9df79c58a853d84bd47d2dea",
        Signer.of("s\u00e9cret-\u00fc").sign(utf8("{\"userId\":\"u-1\",\"type\":\"identify\"}")));
    SignatureVerifier.of(SECRET).verify(unicode, "5792b2ab205fdea1f5d1e7acb4ea6ea5b3854f04");
  }

  @Test
  void acceptsUppercaseHexAndSurroundingWhitespace() {
    SignatureVerifier.of(SECRET)
        .verify(utf8(TRACK), " " + Signer.of(SECRET).sign(utf8(TRACK)).toUpperCase() + "\t");
  }

  @Test
  void tellsMissingMalformedAndMismatchedSignaturesApart() {
    SignatureVerifier verifier = SignatureVerifier.of(SECRET);
    byte[] body = utf8(TRACK);
    String good = Signer.of(SECRET).sign(body);
    refused(Reason.MISSING_SIGNATURE, () -> verifier.verify(body, null));
    refused(Reason.MISSING_SIGNATURE, () -> verifier.verify(body, ""));
    refused(Reason.MISSING_SIGNATURE, () -> verifier.verify(body, "  "));
    refused(Reason.MALFORMED_SIGNATURE, () -> verifier.verify(body, "not hex"));
    refused(Reason.MALFORMED_SIGNATURE, () -> verifier.verify(body, good.substring(1)));
    refused(Reason.MALFORMED_SIGNATURE, () -> verifier.verify(body, good + "00"));
    refused(Reason.MALFORMED_SIGNATURE, () -> verifier.verify(body, "sha1=" + good));
    refused(Reason.MALFORMED_SIGNATURE, () -> verifier.verify(body, good.substring(2) + "zz"));
    refused(Reason.SIGNATURE_MISMATCH, () -> verifier.verify(body, "0".repeat(40)));
    refused(Reason.SIGNATURE_MISMATCH, () -> verifier.verify(utf8(TRACK + " "), good));
    refused(Reason.SIGNATURE_MISMATCH, () -> SignatureVerifier.of("other").verify(body, good));
  }

  @Test
  void acceptsEverySecretDuringRotation() {
    byte[] body = utf8(TRACK);
    // printf '%s' '{"type":"track","userId":"u-1","event":"A"}' | openssl dgst -sha1 -hmac ...
    String old = "b86d577aaf5a42434130e30191741e2437d97145";
    String current = "2eb7bd7a5b68028476b5dd75913128e4473caf91";
    SignatureVerifier both = SignatureVerifier.of("old-secret", "new-secret");
    both.verify(body, old);
    both.verify(body, current);
    SignatureVerifier.of(List.of("new-secret")).verify(body, current);
    refused(Reason.SIGNATURE_MISMATCH, () -> SignatureVerifier.of("new-secret").verify(body, old));
  }

  @Test
  void verifiesABatchOverTheExactBytesOfElementZero() {
    byte[] body = utf8("[" + TRACK + ", {\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"B\"}]");
    // Element 0 is TRACK: its signature, from openssl as above.
    String elementZero = "b86d577aaf5a42434130e30191741e2437d97145";
    assertEquals(elementZero, Signer.of("old-secret").signFirstElement(body));
    SignatureVerifier verifier = SignatureVerifier.of("old-secret");
    verifier.verify(body, elementZero);
    // Over the whole array body (Actions without batching, with an array payload): also valid.
    verifier.verify(body, "ae35adaa645e456253199f00c55545c46c18b19e");
    // Over element 1: not what Segment signs.
    refused(
        Reason.SIGNATURE_MISMATCH,
        () -> verifier.verify(body, "5ab70eac26a7009c341415ba1afd35f67dd8fd76"));
  }

  @Test
  void rejectsSignatureOverReencodedJson() {
    // Element 0 as sent, with spacing that JSON.stringify would not produce.
    String sent = "{\"type\" : \"track\",  \"userId\":\"u-1\",\"event\":\"A\"}";
    byte[] body = utf8("[ " + sent + " ,{\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"B\"}]");
    SignatureVerifier verifier = SignatureVerifier.of("old-secret");
    // printf '%s' '{"type" : "track",  "userId":"u-1","event":"A"}' | openssl dgst ...
    verifier.verify(body, "c4f98050a0b39094378c42221ae9d2c3f42e9164");
    // The same element re-encoded (compact, as a re-serializer would write it) is another text:
    // its signature does not verify these bytes.
    refused(
        Reason.SIGNATURE_MISMATCH,
        () -> verifier.verify(body, "b86d577aaf5a42434130e30191741e2437d97145"));
    // Nor does the original signature verify a body whose element 0 was re-encoded with other key
    // order.
    byte[] reordered =
        utf8("[{\"userId\":\"u-1\",\"type\":\"track\",\"event\":\"A\"},{\"type\":\"track\"}]");
    refused(
        Reason.SIGNATURE_MISMATCH,
        () -> verifier.verify(reordered, "b86d577aaf5a42434130e30191741e2437d97145"));
  }

  @Test
  void signFirstElementRefusesWhatIsNotAnArrayOfObjects() {
    Signer signer = Signer.of(SECRET);
    assertThrows(IllegalArgumentException.class, () -> signer.signFirstElement(utf8(TRACK)));
    assertThrows(IllegalArgumentException.class, () -> signer.signFirstElement(utf8("[]")));
    assertThrows(IllegalArgumentException.class, () -> signer.signFirstElement(utf8("[1,2]")));
    assertThrows(IllegalArgumentException.class, () -> signer.signFirstElement(utf8("[{\"a\":")));
  }

  @Test
  void refusesEmptyOrMissingSecrets() {
    assertThrows(IllegalArgumentException.class, () -> SignatureVerifier.of(""));
    assertThrows(IllegalArgumentException.class, () -> SignatureVerifier.of("ok", ""));
    assertThrows(IllegalArgumentException.class, () -> SignatureVerifier.of(List.of()));
    assertThrows(NullPointerException.class, () -> SignatureVerifier.of("ok", null));
    assertThrows(IllegalArgumentException.class, () -> Signer.of(""));
  }

  @Test
  void neverShowsSecretsOrSignatures() {
    SignatureVerifier verifier = SignatureVerifier.of(SECRET, "second-secret");
    assertEquals("SignatureVerifier{secrets=2}", verifier.toString());
    assertFalse(Signer.of(SECRET).toString().contains(SECRET));
    String wrong = "0123456789abcdef0123456789abcdef01234567";
    for (String signature : List.of(wrong, "zz" + wrong)) {
      AuthenticationException e =
          assertThrows(
              AuthenticationException.class, () -> verifier.verify(utf8(TRACK), signature));
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      assertFalse(e.getMessage().contains("0123456789abcdef"), e.getMessage());
    }
  }
}

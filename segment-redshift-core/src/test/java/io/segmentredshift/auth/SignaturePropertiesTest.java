package io.segmentredshift.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SignaturePropertiesTest {
  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
  }

  @Property(tries = 1000)
  void aSignedBodyVerifies(@ForAll("bodies") byte[] body, @ForAll("secrets") String secret) {
    SignatureVerifier.of(secret).verify(body, Signer.of(secret).sign(body));
  }

  @Property(tries = 1000)
  void anyOneByteChangeBreaksTheSignature(
      @ForAll("bodies") @Size(min = 1) byte[] body,
      @ForAll("secrets") String secret,
      @ForAll @IntRange(min = 0, max = 1999) int position,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    String signature = Signer.of(secret).sign(body);
    byte[] changed = body.clone();
    changed[position % body.length] ^= (byte) flip;
    AuthenticationException e =
        assertThrows(
            AuthenticationException.class,
            () -> SignatureVerifier.of(secret).verify(changed, signature));
    assertEquals(AuthenticationException.Reason.SIGNATURE_MISMATCH, e.reason());
  }

  @Property(tries = 500)
  void aBatchSignatureCoversElementZeroByteForByte(
      @ForAll("secrets") String secret,
      @ForAll @Size(max = 20) String value,
      @ForAll @IntRange(min = 0, max = 4) int spaces,
      @ForAll @IntRange(min = 0, max = 1000) int position) {
    String first = "{\"type\":\"track\"," + " ".repeat(spaces) + "\"event\":" + quote(value) + "}";
    byte[] body =
        ("[" + " ".repeat(spaces) + first + ",{\"type\":\"track\",\"event\":\"B\"}]")
            .getBytes(StandardCharsets.UTF_8);
    String signature = Signer.of(secret).signFirstElement(body);
    SignatureVerifier verifier = SignatureVerifier.of(secret);
    verifier.verify(body, signature);
    int start = 1 + spaces;
    int length = first.getBytes(StandardCharsets.UTF_8).length;
    int inside = start + position % length;
    byte[] changed = body.clone();
    changed[inside] ^= 0x01;
    Assume.that(changed[inside] != body[inside]);
    assertThrows(AuthenticationException.class, () -> verifier.verify(changed, signature));
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}

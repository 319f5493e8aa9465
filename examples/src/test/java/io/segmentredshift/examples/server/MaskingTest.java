package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class MaskingTest {
  @Test
  void masksPasswordSettingsAndUserInfo() {
    assertEquals(
        "jdbc:postgresql://h:5432/db?user=u&password=******&ssl=true",
        Masking.jdbcUrl("jdbc:postgresql://h:5432/db?user=u&password=s3cr3t&ssl=true"));
    assertEquals(
        "jdbc:redshift://c:5439/dev;UID=u;PWD=******;SecretAccessKey=******",
        Masking.jdbcUrl("jdbc:redshift://c:5439/dev;UID=u;PWD=x;SecretAccessKey=y"));
    assertEquals("jdbc:postgresql://u:******@h/db", Masking.jdbcUrl("jdbc:postgresql://u:pw@h/db"));
    assertEquals("jdbc:postgresql://h/db", Masking.jdbcUrl("jdbc:postgresql://h/db"));
  }

  @Property
  void aPasswordInAUrlIsNeverShown(
      @ForAll @AlphaChars @NumericChars @StringLength(min = 6, max = 30) String password) {
    String masked =
        Masking.jdbcUrl("jdbc:postgresql://h:5432/db?user=zz&password=" + password + "&x=1");
    assertFalse(masked.contains(password), masked);
  }
}

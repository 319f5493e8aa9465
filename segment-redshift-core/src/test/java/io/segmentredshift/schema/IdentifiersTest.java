package io.segmentredshift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifiersTest {
  private static final Identifiers REDSHIFT = Identifiers.of(Dialect.redshift());
  private static final Identifiers POSTGRES = Identifiers.of(Dialect.postgres());

  /** Every vector of go-snakecase's snake_test.go and the reference's derived ones. */
  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      quoteCharacter = '\'',
      value = {
        "sample text|sample_text",
        "sample-text|sample_text",
        "sample_text|sample_text",
        "sample___text|sample_text",
        "sampleText|sample_text",
        "inviteYourCustomersAddInvites|invite_your_customers_add_invites",
        "sample 2 Text|sample_2_text",
        "'   sample   2    Text   '|sample_2_text",
        "'   $#$sample   2    Text   '|sample_2_text",
        "SAMPLE 2 TEXT|sample_2_text",
        "___$$Base64Encode|base64_encode",
        "FOO:BAR$BAZ|foo_bar_baz",
        "FOO#BAR#BAZ|foo_bar_baz",
        "something.com|something_com",
        "$something%|something",
        "•¶§ƒ˚foo˙∆˚¬|foo",
        "CStringRef|cstring_ref",
        "5test|5test",
        "test5|test5",
        "THE5r|the5r",
        "5TEst|5test",
        "_5TEst|5test",
        "@%#&5TEst|5test",
        "edf_6N|edf_6n",
        "f_pX9|f_p_x9",
        "p_z9Rg|p_z9_rg",
        "2FA Enabled|2fa_enabled",
        "Enabled 2FA|enabled_2fa",
        "@49L0S145_¬fwHƒ0TSLNVp|49l0s145_fw_h_0tslnvp",
        "lk0B@bFmjrLQ_Z6YL|lk0_b_b_fmjr_lq_z6yl",
        "samPLE text|sam_ple_text",
        "userId|user_id",
        "accountType|account_type",
        "Signed Up|signed_up",
        "Product ID|product_id",
        "context_field_nestedA_nestedB|context_field_nested_a_nested_b",
        "HTMLParser|htmlparser",
        "getHTTPResponse|get_httpresponse",
        "v2API|v2_api",
        "_private|private",
        "a__b|a_b",
        "éclair|clair",
        "日本語|''",
        "FOO:BAR$BAZ__Sample    Text___|foo_bar_baz_sample_text",
        "ẞ•¶§ƒ˚foo˙∆˚¬|foo",
        "'\"hello world\"'|hello_world",
      })
  void snakeCaseMatchesGoSnakecase(String in, String out) {
    assertEquals(out, Identifiers.snakeCase(in));
  }

  @Test
  void snakeCaseHandlesMultilineAndLongSentences() {
    assertEquals(
        "here_is_a_multiline_string", Identifiers.snakeCase("here\nis\na\nmultiline\nstring"));
    assertEquals(
        "super_long_sentence_that_is_not_really_necessary_but_we_need_to_try_it",
        Identifiers.snakeCase(
            "super long sentence that is not really necessary but we need to try it"));
  }

  @Test
  void prefixesLeadingDigitsAndReservedWordsPerDialect() {
    assertEquals("_3doctors", REDSHIFT.sanitize("3doctors"));
    assertEquals("_101_account_update", REDSHIFT.sanitize("101 Account Update"));
    assertEquals("_open", REDSHIFT.sanitize("open"));
    assertEquals("open", POSTGRES.sanitize("open"));
    assertEquals("_user", REDSHIFT.sanitize("User"));
    assertEquals("_user", POSTGRES.sanitize("user"));
    assertEquals("_timestamp", REDSHIFT.sanitize("timestamp"));
    assertEquals("timestamp", POSTGRES.sanitize("timestamp"));
    assertEquals("_returning", POSTGRES.sanitize("returning"));
    assertEquals("returning", REDSHIFT.sanitize("returning"));
    for (String word : new String[] {"connect", "language", "start", "order", "group", "end"}) {
      assertEquals("_" + word, REDSHIFT.sanitize(word), word);
    }
  }

  @Test
  void redshiftListHas156WordsPlusTheThreeOlderOnes() {
    assertEquals(159, Dialect.redshift().reservedWords().size());
    assertTrue(Dialect.postgres().reservedWords().contains("system_user"));
  }

  @Test
  void eventTablesNeverTakeAFixedTableName() {
    assertEquals("order_completed", REDSHIFT.tableName("Order Completed"));
    assertEquals("_users", REDSHIFT.tableName("Users"));
    assertEquals("_tracks", REDSHIFT.tableName("tracks"));
    assertEquals("_identifies", POSTGRES.tableName("Identifies"));
    assertEquals("_users", REDSHIFT.tableName("_users"));
    assertEquals("_group", REDSHIFT.tableName("group"));
    assertEquals("drop_table_users", REDSHIFT.tableName("\"; DROP TABLE users; --"));
    assertEquals("", REDSHIFT.tableName("日本語"));
  }

  @Test
  void cutsLongNamesWithAStableHashSuffix() {
    String a = "a".repeat(200) + "_x";
    String b = "a".repeat(200) + "_y";
    String ra = REDSHIFT.sanitize(a);
    String rb = REDSHIFT.sanitize(b);
    assertEquals(127, ra.length());
    assertNotEquals(ra, rb);
    assertTrue(ra.startsWith("a".repeat(118) + "_"), ra);
    assertEquals(ra, REDSHIFT.sanitize(a));
    assertEquals(63, POSTGRES.sanitize(a).length());
    assertEquals(REDSHIFT.maxBytes(), 127);
    String exact = "b".repeat(127);
    assertEquals(exact, REDSHIFT.sanitize(exact));
  }

  @Test
  void suffixedNamesDependOnTheSourceKey() {
    String one = REDSHIFT.suffixed("user_name", "/properties/userName");
    String two = REDSHIFT.suffixed("user_name", "/properties/user-name");
    assertTrue(one.startsWith("user_name_"), one);
    assertNotEquals(one, two);
    assertEquals(one, REDSHIFT.suffixed("user_name", "/properties/userName"));
    assertTrue(REDSHIFT.isSafe(REDSHIFT.suffixed("x".repeat(127), "k")));
  }

  @Test
  void safeNamesAreLowercaseSnakeWithinTheLimit() {
    assertTrue(REDSHIFT.isSafe("_3d"));
    assertFalse(REDSHIFT.isSafe("3d"));
    assertFalse(REDSHIFT.isSafe("Ab"));
    assertFalse(REDSHIFT.isSafe(""));
    assertFalse(REDSHIFT.isSafe("a\"b"));
    assertFalse(POSTGRES.isSafe("a".repeat(64)));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings()
            .withCharRange('A', 'z')
            .withChars(" _-.$0123456789\"';\\")
            .ofMaxLength(300),
        Arbitraries.of(Dialect.redshift().reservedWords().stream().toList())
            .map(w -> w.toUpperCase(java.util.Locale.ROOT)),
        Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(200));
  }

  @Property(tries = 2000)
  void sanitizedNamesAreSafeOrEmpty(@ForAll("names") String raw) {
    for (Identifiers ids : new Identifiers[] {REDSHIFT, POSTGRES}) {
      String name = ids.sanitize(raw);
      if (!name.isEmpty()) {
        assertTrue(ids.isSafe(name), name);
        assertFalse(ids.isReserved(name), name);
      }
      String table = ids.tableName(raw);
      assertTrue(table.isEmpty() || ids.isSafe(table), table);
    }
  }

  @Property(tries = 2000)
  void sanitizingIsIdempotent(@ForAll("names") String raw) {
    for (Identifiers ids : new Identifiers[] {REDSHIFT, POSTGRES}) {
      String once = ids.sanitize(raw);
      assertEquals(once, ids.sanitize(once));
      String table = ids.tableName(raw);
      assertEquals(table, ids.tableName(table));
    }
  }

  @Property(tries = 1000)
  void snakeCaseOutputIsAFixedPoint(@ForAll("names") String raw) {
    String once = Identifiers.snakeCase(raw);
    assertEquals(once, Identifiers.snakeCase(once));
    assertTrue(once.matches("([a-z0-9]+(_[a-z0-9]+)*)?"), once);
  }
}

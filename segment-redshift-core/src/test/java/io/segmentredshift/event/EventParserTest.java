package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.CLOCK;
import static io.segmentredshift.event.Fixtures.NOW;
import static io.segmentredshift.event.Fixtures.parser;
import static io.segmentredshift.event.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EventParserTest {
  private static final String TRACK = "\"type\":\"track\",\"messageId\":\"m\",\"userId\":\"u\"";

  private final EventParser parser = parser();

  private static MalformedEventException fails(Reason reason, Executable call) {
    MalformedEventException e = assertThrows(MalformedEventException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    assertNull(e.getCause(), "no library exception is attached");
    return e;
  }

  private MalformedEventException failsEvent(Reason reason, String json) {
    return fails(reason, () -> parser.parseEvent(utf8(json)));
  }

  private static String track(String more) {
    return "{" + TRACK + ",\"event\":\"E\"" + (more.isEmpty() ? "" : "," + more) + "}";
  }

  private static String nested(String open, String close, int depth, String inner) {
    return open.repeat(depth) + inner + close.repeat(depth);
  }

  // --- what is not JSON

  @Test
  void refusesBodiesThatAreNotJson() {
    failsEvent(Reason.NOT_JSON, "");
    failsEvent(Reason.NOT_JSON, "  \n ");
    failsEvent(Reason.NOT_JSON, "hello");
    failsEvent(Reason.NOT_JSON, "{'type':'track'}");
    failsEvent(Reason.NOT_JSON, "{\"type\":\"track\",}");
    failsEvent(Reason.NOT_JSON, "{\"a\":NaN}");
    failsEvent(Reason.NOT_JSON, "{\"a\":01}");
    failsEvent(Reason.NOT_JSON, "{\"a\":\"tab\there\"}");
  }

  @Test
  void refusesContentAfterTheJsonValue() {
    failsEvent(Reason.NOT_JSON, track("") + "{}");
    failsEvent(Reason.NOT_JSON, track("") + "x");
    assertEquals("E", parser.parseEvent(utf8(track("") + " \r\n\t")).event());
  }

  @Test
  void refusesTruncatedJson() {
    String whole = track("\"properties\":{\"a\":[1,2,{\"b\":\"c\"}]}");
    for (int cut = 1; cut < whole.length(); cut++) {
      String part = whole.substring(0, cut);
      Reason reason =
          assertThrows(MalformedEventException.class, () -> parser.parseEvent(utf8(part))).reason();
      // A cut at a structural character always reads as truncated; inside a literal, the
      // partial token may read as not JSON.
      if ("\",:{}[]".indexOf(whole.charAt(cut)) >= 0) {
        assertEquals(Reason.TRUNCATED, reason, part);
      } else {
        assertTrue(reason == Reason.TRUNCATED || reason == Reason.NOT_JSON, part);
      }
    }
    failsEvent(Reason.TRUNCATED, "{\"type\":\"track\"");
    failsEvent(Reason.TRUNCATED, "{\"type\":\"tr");
  }

  @Test
  void refusesInvalidUtf8AndNonUtf8Encodings() {
    byte[] start = utf8(track("\"properties\":{\"a\":\"xy\"}"));
    int x = indexOf(start, (byte) 'x');
    byte[] badStart = start.clone();
    badStart[x] = (byte) 0xff;
    fails(Reason.INVALID_UTF8, () -> parser.parseEvent(badStart));
    byte[] badMiddle = start.clone();
    badMiddle[x] = (byte) 0xc3;
    badMiddle[x + 1] = (byte) 0x28;
    fails(Reason.INVALID_UTF8, () -> parser.parseEvent(badMiddle));
    byte[] utf16 = track("").getBytes(StandardCharsets.UTF_16BE);
    fails(Reason.INVALID_UTF8, () -> parser.parseEvent(utf16));
    byte[] utf16Bom = track("").getBytes(StandardCharsets.UTF_16);
    fails(Reason.INVALID_UTF8, () -> parser.parseEvent(utf16Bom));
  }

  @Test
  void skipsAUtf8ByteOrderMark() {
    byte[] json = utf8(track(""));
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    System.arraycopy(json, 0, withBom, 3, json.length);
    assertEquals(parser.parseEvent(json), parser.parseEvent(withBom));
  }

  @Test
  void refusesAMessageThatIsNotAnObject() {
    failsEvent(Reason.NOT_AN_OBJECT, "[" + track("") + "]");
    failsEvent(Reason.NOT_AN_OBJECT, "\"track\"");
    failsEvent(Reason.NOT_AN_OBJECT, "42");
    fails(Reason.NOT_AN_OBJECT, () -> parser.parseWebhook(utf8("null")));
  }

  // --- field types

  @Test
  void refusesUnknownMissingAndMistypedTypes() {
    assertEquals("/type", failsEvent(Reason.UNKNOWN_TYPE, "{\"type\":\"Track\"}").pointer());
    assertEquals("/type", failsEvent(Reason.MISSING_FIELD, "{\"userId\":\"u\"}").pointer());
    assertEquals(
        "/type", failsEvent(Reason.MISSING_FIELD, "{\"type\":null,\"userId\":\"u\"}").pointer());
    assertEquals("/type", failsEvent(Reason.WRONG_FIELD_TYPE, "{\"type\":1}").pointer());
  }

  @Test
  void refusesSpecFieldsOfTheWrongJsonType() {
    assertEquals(
        "/userId", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"userId\":{\"a\":1}")).pointer());
    assertEquals(
        "/anonymousId", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"anonymousId\":[]")).pointer());
    assertEquals("/userId", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"userId\":1.5")).pointer());
    assertEquals(
        "/messageId", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"messageId\":true")).pointer());
    assertEquals("/event", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"event\":7")).pointer());
    assertEquals(
        "/properties", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"properties\":[1]")).pointer());
    assertEquals(
        "/context", failsEvent(Reason.WRONG_FIELD_TYPE, track("\"context\":\"x\"")).pointer());
    assertEquals(
        "/timestamp",
        failsEvent(Reason.WRONG_FIELD_TYPE, track("\"timestamp\":1709640000000")).pointer());
    assertEquals(
        "/sentAt", failsEvent(Reason.BAD_TIMESTAMP, track("\"sentAt\":\"yesterday\"")).pointer());
  }

  @Test
  void acceptsIntegerIdentifiersAsTheirText() {
    Event e =
        parser.parseEvent(
            utf8(
                "{\"type\":\"group\",\"messageId\":17,\"userId\":12345678901234567890,"
                    + "\"groupId\":-5}"));
    assertEquals("17", e.messageId());
    assertEquals("12345678901234567890", e.userId());
    assertEquals("-5", e.groupId());
  }

  @Test
  void readsJsonNullAsAbsent() {
    Event e =
        parser.parseEvent(
            utf8(
                track(
                    "\"anonymousId\":null,\"context\":null,\"sentAt\":null,\"name\":null,"
                        + "\"version\":null")));
    assertNull(e.anonymousId());
    assertEquals(Map.of(), e.context());
    assertNull(e.sentAt());
    assertNull(e.version());
  }

  @Test
  void keepsEveryOtherTopLevelFieldInExtrasInInputOrder() {
    Event e =
        parser.parseEvent(
            utf8(
                track(
                    "\"projectId\":\"p\",\"_metadata\":{\"bundled\":[\"A\"]},\"z\":null,"
                        + "\"version\":{\"odd\":true}")));
    assertEquals(List.of("projectId", "_metadata", "z"), List.copyOf(e.extras().keySet()));
    assertEquals(Map.of("bundled", List.of("A")), e.extras().get("_metadata"));
    assertTrue(e.extras().containsKey("z"));
    assertEquals(Map.of("odd", true), e.version());
  }

  @Test
  void takesTheLastValueOfADuplicateKeyAtItsFirstPosition() {
    Event e =
        parser.parseEvent(
            utf8(
                "{\"type\":\"identify\",\"userId\":\"a\",\"messageId\":\"m\",\"userId\":\"b\","
                    + "\"traits\":{\"x\":1,\"y\":2,\"x\":3},\"type\":\"track\",\"event\":\"E\"}"));
    assertEquals(EventType.TRACK, e.type());
    assertEquals("b", e.userId());
    assertEquals(Map.of("x", 3L, "y", 2L), e.traits());
    assertEquals(List.of("x", "y"), List.copyOf(e.traits().keySet()));
  }

  @Test
  void readsNumbersWithoutLosingValue() {
    Event e =
        parser.parseEvent(
            utf8(
                track(
                    "\"properties\":{\"i\":-0,\"l\":9223372036854775807,"
                        + "\"big\":9223372036854775808,\"d\":0.1,\"one\":1.0,\"e\":2.5e3,"
                        + "\"huge\":1e400,\"tiny\":1e-400,\"precise\":0.1000000000000000000001,"
                        + "\"neg0\":-0.0}")));
    Map<String, Object> p = e.properties();
    assertEquals(0L, p.get("i"));
    assertEquals(Long.MAX_VALUE, p.get("l"));
    assertEquals(new BigInteger("9223372036854775808"), p.get("big"));
    assertEquals(0.1, p.get("d"));
    assertEquals(1.0, p.get("one"));
    assertEquals(2500.0, p.get("e"));
    assertEquals(new BigDecimal("1e400"), p.get("huge"));
    assertEquals(new BigDecimal("1e-400"), p.get("tiny"));
    assertEquals(new BigDecimal("0.1000000000000000000001"), p.get("precise"));
    assertEquals(-0.0, p.get("neg0"));
  }

  // --- limits

  @Test
  void refusesABodyOverTheEventLimitBeforeParsingIt() {
    String padding = "x".repeat(32 * 1024);
    MalformedEventException e =
        failsEvent(Reason.TOO_LARGE, track("\"properties\":{\"p\":\"" + padding + "\"}"));
    assertTrue(e.getMessage().contains("32768"), e.getMessage());
    // Not JSON at all, but too large is what is said: the body is never parsed.
    fails(Reason.TOO_LARGE, () -> parser.parseEvent(new byte[32 * 1024 + 1]));
  }

  @Test
  void refusesNestingDeeperThanTheLimitWithItsPointer() {
    EventParser shallow = EventParser.create(EventLimits.defaults().withMaxDepth(4), CLOCK);
    // The event is depth 1, properties 2, a 3, b 4: fine.
    shallow.parseEvent(utf8(track("\"properties\":{\"a\":{\"b\":{}}}")));
    MalformedEventException e =
        fails(
            Reason.TOO_DEEP,
            () -> shallow.parseEvent(utf8(track("\"properties\":{\"a\":{\"b\":[[]]}}"))));
    assertEquals("/properties/a/b/0", e.pointer());
    fails(
        Reason.TOO_DEEP, () -> shallow.parseEvent(utf8(track("\"x\":" + nested("[", "]", 4, "")))));
  }

  @Test
  void refusesTooLongStringsNamesAndNumbersWithTheirPointer() {
    EventParser small =
        EventParser.create(
            EventLimits.defaults().withMaxStringLength(12).withMaxNumberLength(5), CLOCK);
    assertEquals(
        "/properties/s",
        fails(
                Reason.STRING_TOO_LONG,
                () -> small.parseEvent(utf8(track("\"properties\":{\"s\":\"1234567890123\"}"))))
            .pointer());
    assertEquals(
        "/properties",
        fails(
                Reason.STRING_TOO_LONG,
                () -> small.parseEvent(utf8(track("\"properties\":{\"abcdefghijklm\":1}"))))
            .pointer());
    assertEquals(
        "/properties/n/1",
        fails(
                Reason.NUMBER_TOO_LONG,
                () -> small.parseEvent(utf8(track("\"properties\":{\"n\":[1,123456]}"))))
            .pointer());
    fails(Reason.NUMBER_TOO_LONG, () -> small.parseEvent(utf8(track("\"userId\":123456"))));
    fails(Reason.NUMBER_TOO_LONG, () -> small.parseEvent(utf8(track("\"x\":1.5e-9"))));
    // 1e99999 is short, but its plain form is 100,000 digits: over the default 1,000.
    failsEvent(Reason.NUMBER_TOO_LONG, track("\"x\":1e99999"));
    // An exponent beyond what BigDecimal holds.
    failsEvent(Reason.NUMBER_TOO_LONG, track("\"x\":1e99999999999"));
  }

  @Test
  void readBodyStopsAtTheRequestLimitWithoutReadingTheRest() throws IOException {
    EventParser small = EventParser.create(EventLimits.defaults().withMaxRequestBytes(10), CLOCK);
    assertArrayEquals(
        utf8("0123456789"), small.readBody(new ByteArrayInputStream(utf8("0123456789"))));
    long[] served = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served[0]++;
            return 'x';
          }
        };
    fails(Reason.TOO_LARGE, () -> small.readBody(endless));
    assertEquals(11, served[0]);
  }

  // --- webhook arrays (Actions batching)

  @Test
  void keepsTheGoodItemsOfAnArrayAndRejectsTheBadOnesWithTheirIndex() {
    String body =
        "["
            + track("")
            + ",{\"type\":\"track\",\"event\":\"E\"}"
            + ",42"
            + ","
            + track("\"properties\":" + nested("{\"a\":", "}", 70, "1"))
            + ",[1,[2]]"
            + ","
            + track("\"userId\":{\"deep\":" + nested("[", "]", 10, "\"x\"") + "}")
            + ",{\"type\":\"page\",\"anonymousId\":\"a\"}"
            + "]";
    ParseResult r = parser.parseWebhook(utf8(body));
    assertEquals(2, r.events().size());
    assertEquals(EventType.TRACK, r.events().get(0).type());
    assertEquals(EventType.PAGE, r.events().get(1).type());
    assertEquals(5, r.rejected().size());
    assertEquals(List.of(1, 2, 3, 4, 5), r.rejected().stream().map(e -> e.index()).toList());
    assertEquals(
        List.of(
            Reason.MISSING_FIELD,
            Reason.NOT_AN_OBJECT,
            Reason.TOO_DEEP,
            Reason.NOT_AN_OBJECT,
            Reason.WRONG_FIELD_TYPE),
        r.rejected().stream().map(MalformedEventException::reason).toList());
    assertEquals("/userId", r.rejected().get(0).pointer());
    assertEquals("/userId", r.rejected().get(4).pointer());
    assertTrue(
        r.rejected().get(0).getMessage().contains("item 1"), r.rejected().get(0).getMessage());
    assertFalse(r.allRejected());
  }

  @Test
  void rejectsAnArrayItemOverTheEventLimitAndKeepsTheOthers() {
    StringBuilder properties = new StringBuilder("\"properties\":{");
    for (int i = 0; i < 1000; i++) {
      properties
          .append(i == 0 ? "" : ",")
          .append("\"k")
          .append(i)
          .append("\":\"")
          .append("v".repeat(30))
          .append('"');
    }
    String big = track(properties.append('}').toString());
    ParseResult r = parser.parseWebhook(utf8("[" + big + "," + track("") + "]"));
    assertEquals(1, r.events().size());
    assertEquals(Reason.TOO_LARGE, r.rejected().get(0).reason());
    assertEquals(0, r.rejected().get(0).index());
  }

  @Test
  void refusesAWholeArrayWhoseJsonIsBroken() {
    MalformedEventException e =
        fails(
            Reason.NOT_JSON,
            () -> parser.parseWebhook(utf8("[" + track("") + "," + track("\"x\":tru") + "]")));
    assertEquals(-1, e.index());
    // Jackson reads a value's first token together with its name: the item is the location.
    assertEquals("/1", e.pointer());
    fails(Reason.TRUNCATED, () -> parser.parseWebhook(utf8("[" + track("") + ",")));
    fails(Reason.NOT_JSON, () -> parser.parseWebhook(utf8("[" + track("") + "] []")));
  }

  @Test
  void refusesNestingPastTheCeilingForTheWholeRequest() {
    String deep = track("\"x\":" + nested("[", "]", 1200, ""));
    fails(Reason.TOO_DEEP, () -> parser.parseWebhook(utf8("[" + track("") + "," + deep + "]")));
    // Past the limit but under the ceiling: only that item is rejected.
    String lessDeep = track("\"x\":" + nested("[", "]", 500, ""));
    ParseResult r = parser.parseWebhook(utf8("[" + lessDeep + "," + track("") + "]"));
    assertEquals(1, r.events().size());
    assertEquals(Reason.TOO_DEEP, r.rejected().get(0).reason());
  }

  @Test
  void refusesMoreItemsThanTheBatchLimit() {
    EventParser small = EventParser.create(EventLimits.defaults().withMaxBatchEvents(2), CLOCK);
    assertEquals(
        2, small.parseWebhook(utf8("[" + track("") + "," + track("") + "]")).events().size());
    fails(
        Reason.TOO_MANY_EVENTS,
        () -> small.parseWebhook(utf8("[" + track("") + "," + track("") + ",1]")));
  }

  @Test
  void refusesARequestOverTheRequestLimit() {
    EventParser small = EventParser.create(EventLimits.defaults().withMaxRequestBytes(100), CLOCK);
    fails(
        Reason.TOO_LARGE, () -> small.parseWebhook(utf8("[" + track("") + "," + track("") + "]")));
  }

  @Test
  void tellsAnEmptyBatchFromOneWhoseItemsWereAllRejected() {
    ParseResult empty = parser.parseWebhook(utf8("[]"));
    assertEquals(List.of(), empty.events());
    assertFalse(empty.allRejected());
    ParseResult bad = parser.parseWebhook(utf8("[1,{}]"));
    assertTrue(bad.allRejected());
    assertEquals("ParseResult{events=0, rejected=2}", bad.toString());
  }

  @Test
  void acceptsSegmentDeletionRequestsFromWebhooks() {
    Event e =
        parser.parseEvent(
            utf8(
                "{\"type\":\"delete\",\"userId\":\"u-9\",\"timestamp\":\"2024-03-05T00:00:00Z\"}"));
    assertEquals(EventType.DELETE, e.type());
    assertEquals("u-9", e.userId());
    failsEvent(Reason.MISSING_FIELD, "{\"type\":\"delete\",\"anonymousId\":\"a\"}");
  }

  // --- Tracking API

  @Test
  void mergesBatchContextAndIntegrationsDeeplyWithTheItemWinning() {
    String body =
        "{\"context\":{\"library\":{\"name\":\"lib\",\"version\":\"1\"},\"ip\":\"1.2.3.4\"},"
            + "\"integrations\":{\"All\":true,\"Salesforce\":false},"
            + "\"batch\":["
            + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\","
            + "\"context\":{\"library\":{\"version\":\"2\",\"extra\":1},\"ip\":null,\"own\":\"o\"},"
            + "\"integrations\":{\"Salesforce\":true}},"
            + "{\"type\":\"identify\",\"userId\":\"u\"}"
            + "],\"sequence\":7,\"messageId\":\"ignored\"}";
    ParseResult r = parser.parseBatch(utf8(body));
    assertEquals(List.of(), r.rejected());
    Event first = r.events().get(0);
    Map<?, ?> library = (Map<?, ?>) first.context().get("library");
    assertEquals(Map.of("name", "lib", "version", "2", "extra", 1L), library);
    assertEquals(List.of("name", "version", "extra"), List.copyOf(library.keySet()));
    assertTrue(first.context().containsKey("ip"));
    assertNull(first.context().get("ip"));
    assertEquals(List.of("library", "ip", "own"), List.copyOf(first.context().keySet()));
    assertEquals(Map.of("All", true, "Salesforce", true), first.integrations());
    Event second = r.events().get(1);
    assertEquals(
        Map.of("library", Map.of("name", "lib", "version", "1"), "ip", "1.2.3.4"),
        second.context());
    assertEquals(Map.of("All", true, "Salesforce", false), second.integrations());
    assertNull(r.writeKey());
    assertFalse(first.extras().containsKey("sequence"));
  }

  @Test
  void correctsClientClockSkewWithTheBatchSentAt() {
    // The client's clock is 10 minutes ahead: it called at 12:09:50 by its clock and sent at
    // 12:10:00 by its clock; we receive at 12:00:00. The event happened at 11:59:50.
    String body =
        "{\"sentAt\":\"2024-03-05T12:10:00Z\",\"batch\":["
            + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\","
            + "\"timestamp\":\"2024-03-05T12:09:50Z\"},"
            + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"F\","
            + "\"timestamp\":\"2024-03-05T12:09:50Z\",\"sentAt\":\"2024-03-05T12:09:55Z\"}"
            + "]}";
    ParseResult r = parser.parseBatch(utf8(body));
    Event first = r.events().get(0);
    assertEquals(Instant.parse("2024-03-05T12:09:50Z"), first.originalTimestamp());
    assertEquals(Instant.parse("2024-03-05T12:10:00Z"), first.sentAt());
    assertEquals(NOW, first.receivedAt());
    assertEquals(Instant.parse("2024-03-05T11:59:50Z"), first.timestamp());
    Event second = r.events().get(1);
    assertEquals(Instant.parse("2024-03-05T12:09:55Z"), second.sentAt());
    assertEquals(NOW.minus(Duration.ofSeconds(5)), second.timestamp());
  }

  @Test
  void rejectsBatchItemsWithoutTypeAndDeletionsFromClients() {
    ParseResult r =
        parser.parseBatch(
            utf8(
                "{\"batch\":[{\"userId\":\"u\",\"event\":\"E\"},"
                    + "{\"type\":\"delete\",\"userId\":\"u\"},"
                    + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}"));
    assertEquals(1, r.events().size());
    assertEquals(Reason.MISSING_FIELD, r.rejected().get(0).reason());
    assertEquals("/type", r.rejected().get(0).pointer());
    assertEquals(Reason.UNKNOWN_TYPE, r.rejected().get(1).reason());
    assertEquals(1, r.rejected().get(1).index());
  }

  @Test
  void refusesBatchBodiesOfTheWrongShape() {
    assertEquals(
        "/batch",
        fails(Reason.MISSING_FIELD, () -> parser.parseBatch(utf8("{\"writeKey\":\"k\"}")))
            .pointer());
    assertEquals(
        "/batch",
        fails(Reason.WRONG_FIELD_TYPE, () -> parser.parseBatch(utf8("{\"batch\":{}}"))).pointer());
    assertEquals(
        "/context",
        fails(
                Reason.WRONG_FIELD_TYPE,
                () -> parser.parseBatch(utf8("{\"batch\":[],\"context\":[]}")))
            .pointer());
    fails(Reason.NOT_AN_OBJECT, () -> parser.parseBatch(utf8("[" + track("") + "]")));
    EventParser small = EventParser.create(EventLimits.defaults().withMaxBatchEvents(1), CLOCK);
    assertEquals(
        "/batch",
        fails(
                Reason.TOO_MANY_EVENTS,
                () -> small.parseBatch(utf8("{\"batch\":[" + track("") + "," + track("") + "]}")))
            .pointer());
  }

  @Test
  void takesTheTypeOfASingleCallFromItsRoute() {
    Event e =
        parser.parseCall(
            utf8("{\"userId\":\"u\",\"traits\":{\"a\":1},\"writeKey\":\"wk\"}"),
            EventType.IDENTIFY);
    assertEquals(EventType.IDENTIFY, e.type());
    assertEquals("wk", e.writeKey());
    assertEquals(
        EventType.TRACK,
        parser
            .parseCall(
                utf8("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}"), EventType.TRACK)
            .type());
    assertEquals(
        "/type",
        fails(
                Reason.TYPE_MISMATCH,
                () ->
                    parser.parseCall(
                        utf8("{\"type\":\"identify\",\"userId\":\"u\"}"), EventType.TRACK))
            .pointer());
    assertThrows(
        IllegalArgumentException.class, () -> parser.parseCall(utf8("{}"), EventType.DELETE));
  }

  @Test
  void readsASingleCallTimestampAsTheClientClock() {
    Event e =
        parser.parseCall(
            utf8(
                "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2024-03-05T12:00:30Z\","
                    + "\"sentAt\":\"2024-03-05T12:01:00Z\"}"),
            EventType.TRACK);
    assertEquals(Instant.parse("2024-03-05T12:00:30Z"), e.originalTimestamp());
    assertEquals(Instant.parse("2024-03-05T11:59:30Z"), e.timestamp());
    // The same message relayed by Segment's webhook keeps the timestamp it carries.
    Event relayed =
        parser.parseEvent(
            utf8(
                "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\","
                    + "\"timestamp\":\"2024-03-05T12:00:30Z\",\"sentAt\":\"2024-03-05T12:01:00Z\"}"));
    assertEquals(Instant.parse("2024-03-05T12:00:30Z"), relayed.timestamp());
    assertNull(relayed.originalTimestamp());
  }

  // --- messages

  @Test
  void neverPutsPayloadValuesIntoMessages() {
    String secret = "hunter2-SECRET";
    List<String> bodies =
        List.of(
            track("\"userId\":{\"password\":\"" + secret + "\"}"),
            track("\"timestamp\":\"" + secret + "\""),
            "{\"type\":\"" + secret + "\"}",
            track("\"x\":\"" + secret + "\" " + secret),
            track("\"x\":" + secret),
            "{\"type\":\"track\",\"" + secret + "\":tru}");
    for (String body : bodies) {
      MalformedEventException e =
          assertThrows(MalformedEventException.class, () -> parser.parseEvent(utf8(body)));
      assertFalse(e.getMessage().contains(secret), e.getMessage());
      assertFalse(e.detail().contains(secret), e.detail());
      assertNull(e.getCause());
    }
  }

  @Test
  void escapesFieldNamesInPointersAndCutsThemInMessages() {
    String name = "a/b~c\n" + "n".repeat(200);
    MalformedEventException e =
        failsEvent(
            Reason.TOO_DEEP,
            track(
                "\"properties\":{\""
                    + name.replace("\n", "\\n")
                    + "\":"
                    + nested("[", "]", 70, "")
                    + "}"));
    assertTrue(
        e.pointer().startsWith("/properties/a~1b~0c\n" + "n".repeat(200) + "/0/"), e.pointer());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains("a~1b~0c\\u000a"), e.getMessage());
    assertFalse(e.getMessage().contains("n".repeat(100)), e.getMessage());
    assertInstanceOf(io.segmentredshift.SegmentRedshiftException.class, e);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}

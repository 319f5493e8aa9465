package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static Event roundTrip(Event e) {
    Event back = EventJson.read(EventJson.write(e));
    assertEquals(e, back);
    return back;
  }

  @Test
  void writesSpecFieldsInAFixedOrderThenExtrasWithoutWhitespace() {
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("zeta", null);
    extras.put("alpha", List.of(1L, "two"));
    Event e =
        Event.builder(EventType.TRACK)
            .extras(extras)
            .writeKey("wk")
            .properties(Map.of("p", true))
            .event("Signed Up")
            .receivedAt(Instant.parse("2024-03-05T12:00:00.5Z"))
            .userId("u-1")
            .messageId("m-1")
            .version(2L)
            .build();
    assertEquals(
        "{\"type\":\"track\",\"messageId\":\"m-1\",\"userId\":\"u-1\","
            + "\"receivedAt\":\"2024-03-05T12:00:00.500Z\",\"event\":\"Signed Up\","
            + "\"properties\":{\"p\":true},\"version\":2,\"writeKey\":\"wk\","
            + "\"zeta\":null,\"alpha\":[1,\"two\"]}",
        new String(EventJson.write(e), StandardCharsets.UTF_8));
    roundTrip(e);
  }

  @Test
  void escapesStringsAsJsonStringifyDoes() {
    Event e =
        Event.builder(EventType.TRACK)
            .event("quote\" back\\ nl\n tab\t nul\u0000 del\u007f caf\u00e9 \u2028 \ud83d\ude00")
            .build();
    assertEquals(
        "{\"type\":\"track\",\"event\":\"quote\\\" back\\\\ nl\\n tab\\t nul\\u0000 del\u007f"
            + " caf\u00e9 \u2028 \ud83d\ude00\"}",
        new String(EventJson.write(e), StandardCharsets.UTF_8));
    roundTrip(e);
  }

  @Test
  void keepsUnpairedSurrogatesByEscapingThem() {
    Event e =
        Event.builder(EventType.TRACK)
            .event("lone \ud800 and \udc00 reversed \udc00\ud800")
            .properties(Map.of("k", List.of("\udbff")))
            .build();
    String json = new String(EventJson.write(e), StandardCharsets.UTF_8);
    assertEquals(
        "{\"type\":\"track\",\"event\":\"lone \\ud800 and \\udc00 reversed \\udc00\\ud800\","
            + "\"properties\":{\"k\":[\"\\udbff\"]}}",
        json);
    roundTrip(e);
    // A JSON parser refuses one in a field name, so the builder does.
    assertThrows(
        IllegalArgumentException.class,
        () -> Event.builder(EventType.TRACK).properties(Map.of("\udbff", "k")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Event.builder(EventType.TRACK).extras(Map.of("a\udc00", "k")));
    Event pair =
        roundTrip(Event.builder(EventType.TRACK).traits(Map.of("\ud83d\ude00", 1)).build());
    assertEquals(1L, pair.traits().get("\ud83d\ude00"));
  }

  @Test
  void keepsNumbersOfEveryKindWithTheirExactValue() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("long", Long.MIN_VALUE);
    p.put("bigint", new BigInteger("-123456789012345678901234567890"));
    p.put("double", 0.30000000000000004);
    p.put("negzero", -0.0);
    p.put("small", Double.MIN_VALUE);
    p.put("max", Double.MAX_VALUE);
    p.put("huge", new BigDecimal("1E+400"));
    p.put("wide", new BigDecimal("12345678901234567890123"));
    p.put("precise", new BigDecimal("0.1000000000000000000001"));
    p.put("tiny", new BigDecimal("-2.5E-401"));
    Event e = roundTrip(Event.builder(EventType.TRACK).properties(p).build());
    assertInstanceOf(BigDecimal.class, e.properties().get("wide"));
    assertEquals(0, ((BigDecimal) e.properties().get("wide")).scale());
    assertEquals(
        "{\"type\":\"track\",\"properties\":{\"long\":-9223372036854775808,"
            + "\"bigint\":-123456789012345678901234567890,\"double\":0.30000000000000004,"
            + "\"negzero\":-0.0,\"small\":4.9E-324,\"max\":1.7976931348623157E308,"
            + "\"huge\":1E+400,\"wide\":12345678901234567890123E0,"
            + "\"precise\":0.1000000000000000000001,\"tiny\":-2.5E-401}}",
        new String(EventJson.write(e), StandardCharsets.UTF_8));
  }

  @Test
  void normalisesBuilderNumbersTheWayTheParserReadsThem() {
    Event e =
        Event.builder(EventType.TRACK)
            .properties(
                Map.of(
                    "small",
                    BigInteger.valueOf(7),
                    "scaled",
                    new BigDecimal("1.50"),
                    "int",
                    3,
                    "float",
                    0.5f,
                    // Java 17 prints this double as 9.735100000000001E20: it is still exact.
                    "short",
                    new BigDecimal("-9.7351E+20")))
            .build();
    assertEquals(
        Map.of("small", 7L, "scaled", 1.5, "int", 3L, "float", 0.5, "short", -9.7351E20),
        e.properties());
    roundTrip(e);
  }

  @Test
  void keepsNullsNestedStructuresAndEveryTimestamp() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("nothing", null);
    inner.put("list", Arrays.asList(null, List.of(), Map.of()));
    Event e =
        Event.builder(EventType.IDENTIFY)
            .anonymousId("a")
            .traits(Map.of("inner", inner, "", "empty key"))
            .context(Map.of("library", Map.of("name", "x")))
            .integrations(Map.of("All", false))
            .timestamp(Instant.parse("2024-03-05T10:00:00.123456789Z"))
            .originalTimestamp(Instant.MIN)
            .sentAt(Instant.MAX)
            .receivedAt(Instant.parse("-0001-01-01T00:00:00Z"))
            .channel("server")
            .version("1.1")
            .build();
    roundTrip(e);
  }

  @Test
  void refusesExtrasThatNameASpecField() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Event.builder(EventType.TRACK).extras(Map.of("userId", "u")));
  }

  @Test
  void readFailsWithMalformedEventExceptionOnly() {
    assertEquals(
        Reason.NOT_JSON,
        assertThrows(MalformedEventException.class, () -> EventJson.read(utf8("nope"))).reason());
    assertEquals(
        Reason.MISSING_FIELD,
        assertThrows(MalformedEventException.class, () -> EventJson.read(utf8("{}"))).reason());
    assertEquals(
        Reason.NOT_AN_OBJECT,
        assertThrows(MalformedEventException.class, () -> EventJson.read(utf8("[]"))).reason());
    byte[] framed = utf8("xx{\"type\":\"alias\"}yy");
    assertEquals(EventType.ALIAS, EventJson.read(framed, 2, framed.length - 4).type());
  }
}

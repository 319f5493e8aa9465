package io.segmentredshift.webhook;

import io.segmentredshift.event.Event;
import io.segmentredshift.spool.EventRecord;
import io.segmentredshift.spool.Spool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link EventSink#spool(Spool)}: one spool append per request, one record per event. */
final class SpoolSink implements EventSink {
  private final Spool spool;

  SpoolSink(Spool spool) {
    this.spool = Objects.requireNonNull(spool, "spool == null");
  }

  @Override
  public CompletableFuture<Void> accept(String source, List<Event> events) {
    List<byte[]> records = new ArrayList<>(events.size());
    for (Event event : events) {
      records.add(EventRecord.encode(source, event));
    }
    return spool.append(records);
  }

  @Override
  public String toString() {
    return "EventSink.spool(" + spool + ")";
  }
}

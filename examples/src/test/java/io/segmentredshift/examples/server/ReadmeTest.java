package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration reference names every option and its variable. */
class ReadmeTest {
  @Test
  void theReferenceListsEveryOptionWithItsVariable() throws Exception {
    // Surefire runs with the module as its working directory.
    String readme = Files.readString(Path.of("README.md"));
    for (List<Option> group : List.of(Options.SERVE, Options.WAREHOUSE, Options.BACKFILL)) {
      for (Option o : group) {
        assertTrue(readme.contains("| `" + o.flag()), "README.md lacks " + o.flag());
        assertTrue(readme.contains("| `" + o.env() + "` |"), "README.md lacks " + o.env());
      }
    }
  }
}

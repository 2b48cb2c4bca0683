package dev.collect.batch;

import dev.collect.core.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The source wrapper of {@link LakeWriter#committing}, around a {@link FileSource}, with its lake
 * sink opened as the runtime opens a pipeline's sinks before the first commit.
 */
class CommittingSourceContractTest extends FileSourceContractTest {
  private final List<LakeWriter<Map<String, Object>>> lakes = new ArrayList<>();

  @AfterEach
  void closeLakes() throws Exception {
    for (LakeWriter<Map<String, Object>> lake : lakes) {
      lake.close();
    }
  }

  @Override
  protected Source<Map<String, Object>> newSource() throws Exception {
    LakeWriter<Map<String, Object>> lake =
        Lake.sink(
            LakeSinkConfig.builder(dir.resolve("lake")).format(LakeFormat.JSON_LINES).build());
    lake.open(context());
    lakes.add(lake);
    return lake.committing(super.newSource());
  }
}

package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caliop.score.ScoreV2;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
  @Test
  void versionShouldBeThePomsReleaseVersionWithoutSnapshot() throws Exception {
    String pom = Files.readString(Path.of("../pom.xml"));
    Matcher m = Pattern.compile("(?m)^  <version>([^<]+)</version>$").matcher(pom);
    assertThat(m.find()).isTrue();

    assertThat(BuildInfo.current().version()).isEqualTo(m.group(1)).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void describeShouldNameTheScoreFormulaVersion() {
    assertThat(BuildInfo.current().scoreFormulaVersion()).isEqualTo(ScoreV2.VERSION);
    assertThat(BuildInfo.current().describe())
        .isEqualTo("caliop " + BuildInfo.current().version() + " (score formula v" + ScoreV2.VERSION + ")");
  }
}

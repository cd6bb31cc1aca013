package org.caliop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real messages received by 20 providers (../shared/fixtures/dkimchecks), each with the provider's own
 * Authentication-Results, some with a forged {@code Authentication-Results: aaa.com; dkim=pass} added by the sender.
 * Each provider's authserv-ids play the part of "ours".
 */
class DkimChecksAuthResultsTest {
  private static final Path ROOT = Paths.get("../../shared/fixtures/dkimchecks/dkimchecks-2022-09-28");

  /** How each receiving provider names its authserv-ids (suffix match, used to pick the exact ids to trust). */
  private static final Map<String, String> PROVIDER_IDS = Map.ofEntries(
      Map.entry("alice@aol.com", ".yahoo.com"), Map.entry("alice@buzon.uy", "mail.buzon.uy"),
      Map.entry("alice@disroot.org", "disroot.org"), Map.entry("alice@e.email", ".ecloud.global"),
      Map.entry("alice@fastmail.com", ".messagingengine.com"), Map.entry("alice@gmail.com", "mx.google.com"),
      Map.entry("alice@gmx.de", "gmx.net"), Map.entry("alice@icloud.com", ".icloud.com"),
      Map.entry("alice@ik.me", "mx.infomaniak.com"), Map.entry("alice@mail.de", ".mail.de"),
      Map.entry("alice@mail.ru", "mxs.mail.ru"), Map.entry("alice@posteo.de", "posteo.de"),
      Map.entry("alice@riseup.net", "mx1.riseup.net"), Map.entry("alice@testrun.org", "testrun.org"),
      Map.entry("alice@yahoo.com", ".yahoo.com"), Map.entry("alice@yandex.ru", ".yandex.net"),
      Map.entry("alice@zohomail.eu", "mx.zohomail.eu"));

  static Stream<Path> messages() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList()).stream();
    }
  }

  static Stream<Path> forged() throws IOException {
    return messages().filter(p -> p.getFileName().toString().startsWith("forged-authres-added"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forged")
  void trustedShouldIgnoreForgedResultsFromAnotherAuthservId(Path message) throws IOException {
    List<String> values = authResults(message);
    Set<String> ours = providerIds(message, values);

    AuthResults r = AuthFixtures.atTop(values, ours);

    assertThat(r.dkim().map(x -> x.result())).as("dkim trusting %s", ours).isNotEqualTo(Optional.of(AuthResult.PASS));
    assertThat(AuthFixtures.atTop(values, Set.of("aaa.com")).dkim().map(x -> x.result())).as("the forger's own id")
        .contains(AuthResult.PASS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void trustedShouldReadEveryRealMessageWithoutTrustingOthers(Path message) throws IOException {
    List<String> values = authResults(message);
    Set<String> ours = providerIds(message, values);

    AuthResults trustingOurs = AuthFixtures.atTop(values, ours);
    AuthResults trustingNobody = AuthFixtures.atTop(values, Set.of());

    assertThat(trustingNobody).isEqualTo(AuthResults.none());
    if (ours.isEmpty()) {
      assertThat(trustingOurs).isEqualTo(AuthResults.none());
    }
    for (String v : values) {
      assertThat(AuthResultsParser.parse(v)).isNotNull();
    }
  }

  @Test
  void trustedShouldReadGmailResults() throws IOException {
    List<String> values = authResults(ROOT.resolve("alice@gmail.com/alice@aol.com"));

    assertThat(AuthFixtures.tokens(AuthFixtures.atTop(values, Set.of("mx.google.com"))))
        .isEqualTo(AuthFixtures.tokens("pass", "pass", "pass", null));
  }

  @Test
  void trustedShouldCombineOneMethodPerHeaderAsIcloudWritesThem() throws IOException {
    List<String> values = authResults(ROOT.resolve("alice@icloud.com/alice@aol.com"));

    AuthResults r = AuthFixtures.atTop(values,
        Set.of("dmarc.icloud.com", "dkim-verifier.icloud.com", "spf.icloud.com", "bimi.icloud.com"));

    assertThat(AuthFixtures.tokens(r)).isEqualTo(AuthFixtures.tokens("pass", "pass", "pass", null));
  }

  @Test
  void trustedShouldReadFastmailArcAndDkim() throws IOException {
    List<String> values = authResults(ROOT.resolve("alice@fastmail.com/alice@aol.com"));

    AuthResults r = AuthFixtures.atTop(values, Set.of("mx1.messagingengine.com"));

    assertThat(AuthFixtures.tokens(r)).element(3).isEqualTo("none");
    assertThat(AuthFixtures.tokens(r)).element(0).isEqualTo("pass");
    assertThat(AuthFixtures.tokens(r)).element(2).isEqualTo("pass");
  }

  @Test
  void trustedShouldReadPosteoResultsSpreadOverThreeHeaders() throws IOException {
    List<String> values = authResults(ROOT.resolve("alice@posteo.de/alice@aol.com"));

    assertThat(AuthFixtures.tokens(AuthFixtures.atTop(values, Set.of("posteo.de"))))
        .isEqualTo(AuthFixtures.tokens("pass", "pass", "pass", null));
  }

  @Test
  void trustedShouldKeepYahooUnknownDkimAndIgnoreForgedPass() throws IOException {
    List<String> values = authResults(ROOT.resolve("alice@yahoo.com/forged-authres-added@example.com"));

    AuthResults r = AuthFixtures.atTop(values, Set.of("atlas324.free.mail.ne1.yahoo.com"));

    // Yahoo's "unknown" is not an RFC 8601 result: "other", never a pass.
    assertThat(AuthFixtures.tokens(r)).isEqualTo(AuthFixtures.tokens("other", "none", "other", null));
  }

  @Test
  void trustedShouldIgnoreMicrosoftHeadersWithoutAuthservId() throws IOException {
    List<String> values = authResults(ROOT.resolve("alice@outlook.com/alice@gmail.com"));

    assertThat(AuthFixtures.atTop(values, Set.of("spf=pass", "outlook.com"))).isEqualTo(AuthResults.none());
  }

  /** The ids in this message that belong to the receiving provider: what its admin would configure. */
  private static Set<String> providerIds(Path message, List<String> values) {
    String suffix = PROVIDER_IDS.get(message.getParent().getFileName().toString());
    Set<String> ids = new LinkedHashSet<>();
    if (suffix == null) {
      return ids;
    }
    for (String v : values) {
      String id = AuthResultsParser.parse(v).authservId().orElse(null);
      if (id != null && (id.equals(suffix) || id.endsWith(suffix))) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** Authentication-Results values, unfolded, topmost first; a test-local reader, the engine has its own. */
  static List<String> authResults(Path message) throws IOException {
    String text = new String(Files.readAllBytes(message), StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    String name = null;
    StringBuilder value = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
        value.append(' ').append(line.trim());
        continue;
      }
      if ("authentication-results".equals(name)) {
        out.add(value.toString().trim());
      }
      int colon = line.indexOf(':');
      name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : null;
      value.setLength(0);
      if (colon > 0) {
        value.append(line.substring(colon + 1));
      }
    }
    if ("authentication-results".equals(name)) {
      out.add(value.toString().trim());
    }
    return out;
  }
}

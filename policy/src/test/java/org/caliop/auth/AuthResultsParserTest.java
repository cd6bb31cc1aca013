package org.caliop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthResultsParserTest {
  private static final Set<String> OURS = Set.of("mx.example.org");

  private static AuthResults read(String... values) {
    return AuthFixtures.atTop(List.of(values), OURS);
  }

  private static String token(java.util.Optional<MethodResult> r) {
    return r.map(x -> x.result().token()).orElse(null);
  }

  @Test
  void trustedShouldReadMethodResultsWithPropertiesAndComments() {
    AuthResults r = read("mx.example.org (our MX; really);\r\n\tdkim=pass (2048-bit key (rsa)) header.d=example.net"
        + " header.i=@example.net header.b=\"Y+Eg;dIPN\";\r\n\tspf=softfail (mx.example.org: 192.0.2.1 is not "
        + "permitted) smtp.mailfrom=a@example.net;\r\n\tdmarc=fail (p=reject) header.from=example.net;\r\n\tarc=none");

    assertThat(AuthFixtures.tokens(r)).isEqualTo(AuthFixtures.tokens("pass", "softfail", "fail", "none"));
    assertThat(r.dkim().flatMap(MethodResult::domain)).contains("example.net");
    assertThat(r.spf().flatMap(MethodResult::domain)).contains("example.net");
    assertThat(r.dmarc().flatMap(MethodResult::domain)).contains("example.net");
  }

  @Test
  void trustedShouldAcceptVersionQuotedIdAndSpacesAroundEquals() {
    assertThat(token(read("mx.example.org 1; dkim = pass").dkim())).isEqualTo("pass");
    assertThat(token(read("\"mx.example.org\"; spf=pass").spf())).isEqualTo("pass");
    assertThat(token(read("mx.example.org; dkim/1=neutral").dkim())).isEqualTo("neutral");
    assertThat(token(read("MX.Example.ORG; DMARC=PASS").dmarc())).isEqualTo("pass");
  }

  @Test
  void trustedShouldReturnNoneForTheNoneResult() {
    assertThat(read("mx.example.org; none")).isEqualTo(AuthResults.none());
    assertThat(read("mx.example.org 1; none (nothing was checked)")).isEqualTo(AuthResults.none());
  }

  @Test
  void trustedShouldReportDkimPassWhenAnySignaturePassed() {
    assertThat(token(read("mx.example.org; dkim=fail header.d=a.example; dkim=pass header.d=b.example").dkim()))
        .isEqualTo("pass");
    assertThat(token(read("mx.example.org; dkim=permerror header.d=a.example; dkim=neutral header.d=b.example")
        .dkim())).isEqualTo("permerror");
  }

  @Test
  void trustedShouldLetTheTopmostTrustedHeaderWinPerMethod() {
    AuthResults r = read("mx.example.org; spf=fail smtp.mailfrom=x@example.net",
        "mx.example.org; spf=pass smtp.mailfrom=x@example.net; dkim=pass header.d=example.net");

    assertThat(token(r.spf())).isEqualTo("fail");
    assertThat(token(r.dkim())).isEqualTo("pass");
  }

  @Test
  void trustedShouldIgnoreHeadersOfOtherAuthservIdsWhereverTheyStand() {
    AuthResults r = read("evil.example; dkim=pass header.d=bank.example; spf=pass; dmarc=pass",
        "mx.example.org; dkim=fail header.d=bank.example",
        "mx.example.org.evil.example; spf=pass");

    assertThat(AuthFixtures.tokens(r)).isEqualTo(AuthFixtures.tokens("fail", null, null, null));
  }

  @Test
  void trustedShouldTrustNothingWithAnEmptySet() {
    assertThat(AuthFixtures.atTop(List.of("mx.example.org; dkim=pass"), Set.of())).isEqualTo(AuthResults.none());
  }

  @Test
  void trustedShouldNeverThrowOnHostileValues() {
    List<String> hostile = new ArrayList<>();
    hostile.add("mx.example.org; dkim=pass (" + "(".repeat(10 * 1024 * 1024));
    hostile.add("mx.example.org; dkim=\"" + "x".repeat(1000));
    hostile.add("mx.example.org" + ";".repeat(100_000) + "spf=pass");
    hostile.add("mx.example.org; dkim=pass \\");
    hostile.add("(\\");
    hostile.add("");
    hostile.add(";;;===...");
    hostile.add(null);
    Random random = new Random(7);
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder("mx.example.org;");
      int n = random.nextInt(200);
      for (int k = 0; k < n; k++) {
        sb.append("();=.\"\\ dkimspfpass@".charAt(random.nextInt(20)));
      }
      hostile.add(sb.toString());
    }

    for (String v : hostile) {
      List<String> one = new ArrayList<>();
      one.add(v);
      assertThat(AuthFixtures.atTop(one, OURS)).isNotNull();
    }
  }

  /** Every (ARC-)Authentication-Results in the ARC test suite, many deliberately broken: read, never thrown. */
  @Test
  void parseShouldReadEveryAuthenticationResultsOfTheArcSuite() throws IOException {
    int headers = 0;
    int withId = 0;
    for (String file : new String[] {"arc-draft-validation-tests.yml", "arc-draft-sign-tests.yml", "unused_tests.yml"}) {
      Path p = Paths.get("../../shared/fixtures/arc/tests", file);
      for (String value : authResultsInYaml(new String(Files.readAllBytes(p), StandardCharsets.UTF_8))) {
        String v = value.replaceFirst("^\\s*i\\s*=\\s*\\d+\\s*;", "");
        AuthResultsHeader parsed = AuthResultsParser.parse(v);
        headers++;
        if (parsed.authservId().isPresent()) {
          withId++;
        }
      }
    }
    assertThat(headers).isGreaterThan(300);
    assertThat(withId).isGreaterThan(headers * 9 / 10);
  }

  @Test
  void parseShouldReadTheDomainEachMethodSpeaksFor() {
    AuthResultsHeader h = AuthResultsParser.parse("mx.example.org; dkim=pass header.i=@Mail.Example.NET;"
        + " spf=pass smtp.mailfrom=bounce@lists.example.net; spf=none smtp.helo=relay.example.net;"
        + " dmarc=pass header.from=example.net; arc=pass");

    assertThat(h.authservId()).contains("mx.example.org");
    assertThat(h.results()).containsExactly(
        MethodResult.of(AuthMethod.DKIM, AuthResult.PASS, "mail.example.net"),
        MethodResult.of(AuthMethod.SPF, AuthResult.PASS, "lists.example.net"),
        MethodResult.of(AuthMethod.SPF, AuthResult.NONE, "relay.example.net"),
        MethodResult.of(AuthMethod.DMARC, AuthResult.PASS, "example.net"),
        MethodResult.of(AuthMethod.ARC, AuthResult.PASS, null));
  }

  @Test
  void parseShouldNotTakeTextInsideAQuotedReasonForAProperty() {
    AuthResultsHeader h = AuthResultsParser.parse("mx.example.org; dkim=fail reason=\"bad; header.d=bank.example\""
        + " header.d=attacker.example");

    assertThat(h.results()).containsExactly(MethodResult.of(AuthMethod.DKIM, AuthResult.FAIL, "attacker.example"));
  }

  @Test
  void parseShouldKeepWhereTheFieldStood() {
    AuthResultsHeader h = AuthResultsParser.parse("mx.example.org; dkim=pass", 3, 2);

    assertThat(h.occurrence()).isEqualTo(3);
    assertThat(h.receivedAbove()).isEqualTo(2);
    assertThat(h.value()).contains("mx.example.org; dkim=pass");
  }

  @Test
  void resultsOutsideRfc8601ShouldBeOther() {
    assertThat(AuthResultsParser.parse("x; dkim=unknown").results().get(0).result()).isEqualTo(AuthResult.OTHER);
    assertThat(AuthResultsParser.parse("x; dkim-atps=neutral; iprev=pass").results()).isEmpty();
  }

  private static List<String> authResultsInYaml(String yaml) {
    List<String> out = new ArrayList<>();
    String[] lines = yaml.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.trim();
      int colon = trimmed.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = trimmed.substring(0, colon);
      if (!name.equalsIgnoreCase("Authentication-Results") && !name.equalsIgnoreCase("ARC-Authentication-Results")) {
        continue;
      }
      int indent = line.indexOf(trimmed.charAt(0));
      StringBuilder value = new StringBuilder(trimmed.substring(colon + 1));
      while (i + 1 < lines.length && !lines[i + 1].isBlank()
          && lines[i + 1].length() - lines[i + 1].stripLeading().length() > indent) {
        value.append(' ').append(lines[++i].trim());
      }
      out.add(value.toString());
    }
    return out;
  }
}

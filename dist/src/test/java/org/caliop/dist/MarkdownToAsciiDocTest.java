package org.caliop.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownToAsciiDocTest {
  final MarkdownToAsciiDoc md = new MarkdownToAsciiDoc(MarkdownToAsciiDoc.links(Map.of("policy.md",
      "caliop.policy(5)")), 2);

  @Test
  void textShouldPassThroughWithoutAsciiDocReadingIt() {
    // Attribute references, replacements, formatting marks, a '+' at the edge of a code span.
    assertThat(md.convert("# T\n\nmacros {client_addr} -- (C) *not bold* and `+02:00`.\n"))
        .isEqualTo("+++macros {client_addr} -- (C) +++__+++not bold+++__+++ and +++**{plus}+++02:00+++**+++.+++"
            + "\n\n");
  }

  @Test
  void headingsShouldBecomeSectionsBelowTheTitle() {
    assertThat(md.convert("# Title\n\n## Part\n\n### Sub\n\n#### Deeper\n"))
        .isEqualTo("== +++Part+++\n\n=== +++Sub+++\n\n**+++Deeper+++**\n\n");
  }

  @Test
  void aPipeInATableCellShouldStayInItsCell() {
    String adoc = md.convert("| key | type |\n|---|---|\n| `mode` | `enforce \\| dry-run` |\n");

    assertThat(adoc).contains("|===\n|+++key+++\n|+++type+++\n\n|**+++mode+++**\n|**+++enforce \\| dry-run+++**\n");
  }

  @Test
  void linksToDocsWithAManPageShouldNameThePage() {
    assertThat(md.convert("See [docs/policy.md](policy.md) and [the keys](policy.md#encryption).\n"))
        .isEqualTo("+++See ++++++caliop.policy(5)++++++ and ++++++the keys++++++ (caliop.policy(5))++++++.+++\n\n");
    assertThat(md.convert("[numbers](BENCHMARKS.md#milter), [web](https://example.org/a)\n"))
        .isEqualTo("+++numbers++++++ (docs/BENCHMARKS.md in caliop's source)++++++, ++++++web++++++"
            + " <https://example.org/a>+++\n\n");
  }

  @Test
  void codeBlocksShouldBeLiteral() {
    assertThat(md.convert("```\nsmtpd_milters = inet:127.0.0.1:8891 # {x}\n```\n"))
        .isEqualTo("....\nsmtpd_milters = inet:127.0.0.1:8891 # {x}\n....\n\n");
  }
}

package org.caliop.policy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.caliop.auth.AuthMethod;
import org.caliop.facts.TrustSettings;
import org.caliop.facts.TrustedRelay;
import org.caliop.geo.CountryDatabase;
import org.caliop.mime.TrustStoreFiles;

/**
 * Reads the {@code trust:} section: who is inside, which relays and verifiers are believed, which headers are
 * foreign, and the files it names (the S/MIME trust store, the IP-to-country database), opened here so that a policy
 * naming a file it cannot read does not load.
 */
final class TrustSection {
  static final List<String> KEYS = List.of("internal_networks", "internal_hosts",
      "trusted_authserv_ids", "local_domains", "strip_header_prefixes", "strip_headers", "foreign_header_action",
      "rename_prefix", "geoip_database", "authserv_upstream", "trusted_arc_sealers", "smime_trust_store",
      "trusted_relays", "recipient_delimiter");
  static final List<String> RELAY_KEYS = List.of("networks", "listener", "daemon_name");

  private final PolicyTree tree;
  private final ProblemSink problems;
  private final YamlIndex index;

  TrustSection(PolicyTree tree, ProblemSink problems, YamlIndex index) {
    this.tree = tree;
    this.problems = problems;
    this.index = index;
  }

  TrustSettings read(ImmutableNode node) {
    TrustSettings d = TrustSettings.defaults();
    if (node == null) {
      return d;
    }
    List<String> networks = d.internalNetworks();
    Set<String> hosts = d.internalHosts();
    Set<String> authservIds = d.trustedAuthservIds();
    Set<String> localDomains = d.localDomains();
    List<String> prefixes = d.stripHeaderPrefixes();
    Set<String> names = d.stripHeaderNames();
    TrustSettings.ForeignHeaderAction foreign = d.foreignHeaderAction();
    String renamePrefix = d.renamePrefix();
    List<TrustedRelay> relays = d.trustedRelays();
    String delimiter = d.recipientDelimiter();
    CountryDatabase countries = null;
    Set<AuthMethod> upstream = d.authservUpstream();
    Set<String> sealers = d.trustedArcSealers();
    List<X509Certificate> smimeAnchors = d.smimeTrustAnchors();
    for (Map.Entry<String, List<ImmutableNode>> e : tree.children(node, List.of("trust")).entrySet()) {
      List<String> p = List.of("trust", e.getKey());
      switch (e.getKey()) {
        case "internal_networks":
          networks = tree.checkedList(p, e.getValue(), Cidr::check);
          break;
        case "internal_hosts":
          hosts = new LinkedHashSet<>(tree.checkedList(p, e.getValue(), ValueChecks::checkHostName));
          break;
        case "trusted_authserv_ids":
          authservIds = new LinkedHashSet<>(tree.checkedList(p, e.getValue(), ValueChecks::checkToken));
          break;
        case "local_domains":
          localDomains = new LinkedHashSet<>(tree.checkedList(p, e.getValue(), ValueChecks::checkHostName));
          break;
        case "strip_header_prefixes":
          prefixes = new ArrayList<>(tree.checkedList(p, e.getValue(), ValueChecks::checkHeaderName));
          if (prefixes.stream().noneMatch(x -> x.equalsIgnoreCase("Caliop-"))) {
            prefixes.add(0, "Caliop-");
          }
          break;
        case "strip_headers":
          names = new LinkedHashSet<>(tree.checkedList(p, e.getValue(), ValueChecks::checkHeaderName));
          break;
        case "foreign_header_action": {
          Object v = tree.scalar(p, e.getValue());
          TrustSettings.ForeignHeaderAction a = v == null ? null
              : ValueChecks.parseEnum(TrustSettings.ForeignHeaderAction.class, String.valueOf(v));
          if (a == null) {
            problems.error(p, "foreign_header_action must be strip or rename, not '" + v + "'");
          } else {
            foreign = a;
          }
          break;
        }
        case "rename_prefix": {
          Object v = tree.scalar(p, e.getValue());
          String bad = v == null ? "has no value" : ValueChecks.checkHeaderName(String.valueOf(v));
          if (bad != null) {
            problems.error(p, "rename_prefix " + bad);
          } else {
            renamePrefix = String.valueOf(v);
          }
          break;
        }
        case "trusted_relays":
          relays = trustedRelays(p, e.getValue());
          break;
        case "recipient_delimiter": {
          Object v = tree.scalar(p, e.getValue());
          String text = v == null ? "" : String.valueOf(v);
          String bad = checkDelimiter(text);
          if (bad != null) {
            problems.error(p, "recipient_delimiter " + bad);
          } else {
            delimiter = text;
          }
          break;
        }
        case "geoip_database":
          countries = countryDatabase(p, tree.scalar(p, e.getValue()));
          break;
        case "smime_trust_store":
          smimeAnchors = smimeTrustStore(p, tree.scalar(p, e.getValue()));
          break;
        case "authserv_upstream": {
          Set<AuthMethod> methods = EnumSet.noneOf(AuthMethod.class);
          for (String m : tree.checkedList(p, e.getValue(), ValueChecks::checkMethod)) {
            methods.add(AuthMethod.fromToken(m.toLowerCase(Locale.ROOT)));
          }
          upstream = methods;
          break;
        }
        case "trusted_arc_sealers":
          sealers = new LinkedHashSet<>(tree.checkedList(p, e.getValue(), ValueChecks::checkHostName));
          break;
        default:
          problems.unknownKey(p, e.getKey(), KEYS, "in trust");
      }
    }
    if (!upstream.isEmpty() && authservIds.isEmpty()) {
      problems.error(List.of("trust", "authserv_upstream"), "authserv_upstream needs trusted_authserv_ids (the ids"
          + " the verifier in front of caliop writes)");
    }
    return TrustSettings.builder().internalNetworks(networks).internalHosts(hosts).trustedAuthservIds(authservIds)
        .localDomains(localDomains).stripHeaderPrefixes(prefixes).stripHeaderNames(names).foreignHeaderAction(foreign)
        .renamePrefix(renamePrefix).countryDatabase(countries).authservUpstream(upstream).trustedArcSealers(sealers)
        .trustedRelays(relays).recipientDelimiter(delimiter).smimeTrustAnchors(smimeAnchors).build();
  }

  /** {@code trusted_relays}: a list of mappings, each with networks and optionally listener and daemon_name. */
  private List<TrustedRelay> trustedRelays(List<String> path, List<ImmutableNode> nodes) {
    List<TrustedRelay> out = new ArrayList<>();
    YamlIndex.Kind kind = index.kind(path);
    if (kind == YamlIndex.Kind.NULL || nodes.isEmpty() && kind == YamlIndex.Kind.LIST) {
      return out;
    }
    if (kind != YamlIndex.Kind.LIST) {
      problems.error(path, "trusted_relays must be a list of relays, each '- networks: [...]' with its listener");
      return out;
    }
    for (int i = 0; i < nodes.size(); i++) {
      List<String> p = PolicyTree.append(path, "#" + i);
      ImmutableNode n = nodes.get(i);
      if (index.kind(p) != YamlIndex.Kind.MAP) {
        problems.error(p, "a trusted relay is a mapping: networks, and listener or daemon_name, not '" + n.getValue()
            + "'");
        continue;
      }
      List<String> networks = List.of();
      String listener = null;
      String daemonName = null;
      boolean ok = true;
      for (Map.Entry<String, List<ImmutableNode>> e : tree.children(n, p).entrySet()) {
        List<String> kp = PolicyTree.append(p, e.getKey());
        switch (e.getKey()) {
          case "networks": {
            int before = problems.count();
            networks = tree.checkedList(kp, e.getValue(), Cidr::check);
            ok &= problems.count() == before;
            break;
          }
          case "listener": {
            Object v = tree.scalar(kp, e.getValue());
            listener = v == null ? null : String.valueOf(v);
            break;
          }
          case "daemon_name": {
            Object v = tree.scalar(kp, e.getValue());
            daemonName = v == null ? null : String.valueOf(v);
            break;
          }
          default:
            problems.unknownKey(kp, e.getKey(), RELAY_KEYS, "in a trusted relay");
            ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      try {
        out.add(TrustedRelay.of(networks, listener, daemonName));
      } catch (IllegalArgumentException ex) {
        problems.error(p, ex.getMessage());
      }
    }
    return out;
  }

  /** Null when {@code d} can be a recipient delimiter: a few characters, none that belongs to an address's syntax. */
  static String checkDelimiter(String d) {
    if (d.length() > 8) {
      return "has more than 8 characters";
    }
    for (int i = 0; i < d.length(); i++) {
      char c = d.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '@' || c == '"' || c == '\\' || c == '<' || c == '>') {
        return "'" + d + "' must be printable ASCII characters other than @ \" \\ < > and spaces";
      }
    }
    return null;
  }

  /**
   * Reads {@code trust.smime_trust_store} (relative to the policy file's directory): a PEM bundle or a directory of
   * certificates. A missing, unreadable or empty store is an error: an admin who names one expects signatures to be
   * anchored, and would otherwise see every one unverified without knowing why.
   */
  private List<X509Certificate> smimeTrustStore(List<String> p, Object raw) {
    Path resolved = raw == null ? null : tree.resolve(p, raw);
    if (resolved == null) {
      return List.of();
    }
    try {
      return TrustStoreFiles.read(resolved);
    } catch (IOException ex) {
      problems.error(p, "smime_trust_store " + resolved + " cannot be read: " + why(ex));
      return List.of();
    }
  }

  /**
   * Opens {@code trust.geoip_database} (relative to the policy file's directory) once per compile; an unchanged
   * file gives the instance already open, so a reload shares it. A missing or unreadable file is an error: a policy
   * whose jurisdiction rules cannot be checked must not load.
   */
  private CountryDatabase countryDatabase(List<String> p, Object raw) {
    Path resolved = raw == null ? null : tree.resolve(p, raw);
    if (resolved == null) {
      return null;
    }
    try {
      return CountryDatabase.open(resolved);
    } catch (IOException ex) {
      problems.error(p, "geoip_database " + resolved + " cannot be read: " + why(ex));
      return null;
    }
  }

  private static String why(IOException ex) {
    return ex instanceof NoSuchFileException ? "no such file" : ex.getMessage();
  }
}

#!/bin/sh
# Lists the libraries Apache James 3.8.1 itself ships that the caliop engine also uses (docs/james.md, "Which
# libraries"): resolves james-server-memory-app 3.8.1 with the james-project BOM, outside our reactor, so none of
# caliop's dependency management interferes.
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>caliop.probe</groupId><artifactId>james-libraries</artifactId><version>1</version>
  <dependencyManagement><dependencies><dependency>
    <groupId>org.apache.james</groupId><artifactId>james-project</artifactId><version>3.8.1</version>
    <type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <dependencies><dependency>
    <groupId>org.apache.james</groupId><artifactId>james-server-memory-app</artifactId><version>3.8.1</version>
  </dependency></dependencies>
</project>
POM
mvn -q -B -ntp -f "$dir/pom.xml" dependency:list -DoutputFile="$dir/list.txt" >/dev/null
grep -iE 'mime4j-core|javax\.mail|bcprov|bcpkix|commons-configuration2|snakeyaml|slf4j-api|commons-lang3|commons-text' \
  "$dir/list.txt" | sed 's/^ *//' | sort
echo "snakeyaml present: $(grep -c snakeyaml "$dir/list.txt" || true)"

# Shared by the launchers in bin/: where the CLI's jar lives and how to build it when it is missing.

# Short-lived commands start faster with the client compiler and the serial collector.
# MULTISLOT_JAVA_OPTS, when set, replaces the launchers' JVM options.
MULTISLOT_FAST_START_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
# hsm-local's PKCS#11 backends call the JDK's own PKCS#11 wrapper, which Java 17 exports only on request.
MULTISLOT_PKCS11_JAVA_OPTS="--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED"

multislot_classpath() {
  echo "$1/cli/target/multislot-cli.jar:$1/cli/target/lib/*"
}

# Builds the cli module and what it depends on when its jar is missing or older than the sources.
# MULTISLOT_NO_BUILD=true (set by the project's own tests) never builds: it uses the jar as it is.
multislot_ensure_built() {
  local root="$1" jar="$1/cli/target/multislot-cli.jar"
  if [ -f "$jar" ] && [ -d "$1/cli/target/lib" ]; then
    if [ "${MULTISLOT_NO_BUILD:-}" = true ] || [ -z "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  elif [ "${MULTISLOT_NO_BUILD:-}" = true ]; then
    echo "error: $jar is missing and MULTISLOT_NO_BUILD=true; build it with 'mvn -pl cli -am install -DskipTests'" >&2
    exit 1
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: $jar is missing and Maven (mvn) is not installed to build it" >&2
    exit 1
  fi
  echo "building Multislot (first run: this takes a minute) ..." >&2
  (cd "$root" && mvn -q -B -ntp -pl cli -am install -Dmaven.test.skip=true) >&2 || {
    echo "error: the build failed; run 'mvn -pl cli -am install -DskipTests' in $root to see why" >&2
    exit 1
  }
}

# The signing-service example's executable jar (bin/multislot service starts it in its own JVM).
multislot_service_jar() {
  echo "$1/examples/signing-service/target/signing-service.jar"
}

# Builds the signing-service example (and what it depends on) when its jar is missing or older than the sources.
# MULTISLOT_NO_BUILD=true never builds, as for the CLI.
multislot_ensure_service_built() {
  local root="$1" jar
  jar="$(multislot_service_jar "$1")"
  if [ -f "$jar" ]; then
    if [ "${MULTISLOT_NO_BUILD:-}" = true ] || [ -z "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  elif [ "${MULTISLOT_NO_BUILD:-}" = true ]; then
    echo "error: $jar is missing and MULTISLOT_NO_BUILD=true; build it with 'mvn -pl examples/signing-service -am install -DskipTests'" >&2
    exit 1
  fi
  echo "building the signing service (first run: this takes a minute) ..." >&2
  (cd "$root" && mvn -q -B -ntp -pl examples/signing-service -am install -Dmaven.test.skip=true) >&2 || {
    echo "error: the build failed; run 'mvn -pl examples/signing-service -am install -DskipTests' in $root to see why" >&2
    exit 1
  }
}

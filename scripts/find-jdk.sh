# Sourced by ./tessera, ./mvnw and .ci/run: selects a JDK >= 25 and exports JAVA_HOME.
# Order: $JAVA_HOME when it is a JDK >= 25, then /usr/lib/jvm/temurin-25-jdk-amd64.
tessera_jdk_ok() {
  [ -x "$1/bin/javac" ] || return 1
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}
if [ -n "${JAVA_HOME:-}" ] && tessera_jdk_ok "$JAVA_HOME"; then
  :
elif tessera_jdk_ok /usr/lib/jvm/temurin-25-jdk-amd64; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
else
  echo "tessera: needs a JDK 25 or newer; install Temurin 25 (or set JAVA_HOME to a JDK >= 25)" >&2
  exit 1
fi
export JAVA_HOME

#!/usr/bin/env bash
# Sourced by bin/demo and bin/test: exports JAVA_HOME pointing at a JDK 25 or newer, or explains what is
# missing and exits. Looks at JAVA_HOME, then the java on PATH, then every JDK under /usr/lib/jvm (or under
# SOLSTICE_JVM_ROOT when set, which lets the no-JDK message be tried out).

java_major() {  # prints the feature version of the JDK at $1 (empty if it is not a JDK)
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

is_jdk25() { local v; v=$(java_major "$1"); [ -n "$v" ] && [ "$v" -ge 25 ]; }

solstice_find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$c")
  fi
  for c in "${SOLSTICE_JVM_ROOT:-/usr/lib/jvm}"/*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    if is_jdk25 "$c"; then export JAVA_HOME="$c"; return 0; fi
  done
  {
    echo "Solstice needs a JDK 25 (java and javac), and none was found."
    echo "Looked at: JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, and ${SOLSTICE_JVM_ROOT:-/usr/lib/jvm}/*."
    for c in "${candidates[@]}"; do
      echo "  $c: $( v=$(java_major "$c"); [ -n "$v" ] && echo "JDK $v, too old" || echo "not a JDK")"
    done
    echo "Install one (for example Eclipse Temurin 25) and set JAVA_HOME to it, then run this again."
  } >&2
  exit 1
}

solstice_find_jdk

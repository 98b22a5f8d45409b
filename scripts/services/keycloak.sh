#!/usr/bin/env bash
# Real Keycloak (dev mode, H2) on 127.0.0.1 with the prompt-vault realm imported, as the SAML IdP
# of the test suites (see docs/services.md).
# Usage: scripts/services/keycloak.sh start|stop|status|url
set -euo pipefail

PV_SERVICE_NAME=keycloak
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/services/lib.sh
source "$HERE/lib.sh"

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.7.3}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_MANAGEMENT_PORT="${KEYCLOAK_MANAGEMENT_PORT:-9180}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
REALM=prompt-vault
REALM_FILE="$HERE/keycloak/realm-$REALM.json"

kc_url() { printf 'http://127.0.0.1:%s\n' "$KEYCLOAK_PORT"; }
kc_ready_url() { printf '%s/realms/%s/protocol/saml/descriptor\n' "$(kc_url)" "$REALM"; }

kc_paths() {
  SERVICES_DIR="$(pv_services_dir)"
  KC_HOME="$SERVICES_DIR/keycloak-$KEYCLOAK_VERSION"
  PIDFILE="$SERVICES_DIR/run/keycloak.pid"
  PORTFILE="$SERVICES_DIR/run/keycloak.port"
  LOG="$SERVICES_DIR/run/keycloak.out"
}

kc_start() {
  kc_paths
  local pid
  pid="$(pv_read_pid "$PIDFILE" "$KC_HOME")"
  if pv_pid_alive "$pid"; then
    # One Keycloak per work dir: its dev database lives in the unpacked dist.
    local running_port
    running_port="$(cat "$PORTFILE" 2>/dev/null || true)"
    [[ "$running_port" == "$KEYCLOAK_PORT" ]] ||
      pv_die "Keycloak from $KC_HOME already runs on port $running_port (pid $pid); stop it first or use another PV_SERVICES_DIR"
    pv_wait_url "$(kc_ready_url)" "$KEYCLOAK_START_TIMEOUT" "$pid" "$LOG"
    kc_url; return
  fi
  local port
  for port in "$KEYCLOAK_PORT" "$KEYCLOAK_MANAGEMENT_PORT"; do
    pv_port_busy "$port" && pv_die "port $port on 127.0.0.1 is already in use by another process (set KEYCLOAK_PORT / KEYCLOAK_MANAGEMENT_PORT)"
  done
  [[ -f "$REALM_FILE" ]] || pv_die "realm file missing: $REALM_FILE"
  pv_require curl setsid
  local java_home archive
  java_home="$(pv_java_home 21)"
  pv_prepare_services_dir >/dev/null
  archive="$(pv_maven_fetch "org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz")"
  pv_unpack "$archive" "$KC_HOME"
  pv_ensure_service_user

  # Fresh dev database on every start; the realm is imported from the repo's JSON.
  rm -rf "$KC_HOME/data"
  mkdir -p "$KC_HOME/data/import"
  cp "$REALM_FILE" "$KC_HOME/data/import/"
  pv_own "$KC_HOME"
  printf '%s\n' "$KEYCLOAK_PORT" >"$PORTFILE"

  pv_log "starting Keycloak $KEYCLOAK_VERSION on $(kc_url) (management 127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT, java: $java_home)"
  pid="$(pv_spawn "$LOG" env \
    "JAVA_HOME=$java_home" \
    "JAVA_OPTS_KC_HEAP=${KEYCLOAK_HEAP_OPTS:--Xms128m -Xmx768m}" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    KC_HEALTH_ENABLED=true \
    "$KC_HOME/bin/kc.sh" start-dev \
    "--http-port=$KEYCLOAK_PORT" --http-host=127.0.0.1 \
    "--http-management-port=$KEYCLOAK_MANAGEMENT_PORT" --http-management-host=127.0.0.1 \
    --import-realm)"
  printf '%s\n' "$pid" >"$PIDFILE"
  pv_wait_url "$(kc_ready_url)" "$KEYCLOAK_START_TIMEOUT" "$pid" "$LOG"
  pv_log "ready after ${SECONDS}s; SAML IdP metadata: $(kc_ready_url)"
  kc_url
}

kc_stop() {
  kc_paths
  if pv_stop_pidfile "$PIDFILE" "$KC_HOME" 60; then
    pv_log "stopped"
  else
    pv_log "not running"
  fi
  rm -f "$PORTFILE"
}

kc_status() {
  kc_paths
  local pid
  pid="$(pv_read_pid "$PIDFILE" "$KC_HOME")"
  if pv_pid_alive "$pid" && curl -sf -o /dev/null --max-time 5 "$(kc_ready_url)"; then
    echo "running (pid $pid) at $(kc_url), realm $REALM"
  elif pv_pid_alive "$pid"; then
    echo "starting or unhealthy (pid $pid) at $(kc_url)"; return 1
  else
    echo "stopped"; return 3
  fi
}

case "${1:-}" in
  start) kc_start ;;
  stop) kc_stop ;;
  status) kc_status ;;
  url) kc_url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac

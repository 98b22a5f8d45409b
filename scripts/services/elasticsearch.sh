#!/usr/bin/env bash
# Real single-node Elasticsearch on 127.0.0.1 for the test suites (see docs/services.md).
# Usage: scripts/services/elasticsearch.sh start|stop|status|url
set -euo pipefail

PV_SERVICE_NAME=elasticsearch
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Newest 9.x integ-test zip found on Maven Central (9.x publishes the zip without a pom or
# maven-metadata entry, so the version is pinned rather than resolved).
ES_VERSION="${ES_VERSION:-9.3.2}"
ES_PORT="${ES_PORT:-9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"

es_url() { printf 'http://127.0.0.1:%s\n' "$ES_PORT"; }

es_paths() {
  SERVICES_DIR="$(pv_services_dir)"
  ES_HOME="$SERVICES_DIR/elasticsearch-$ES_VERSION"
  PIDFILE="$SERVICES_DIR/run/elasticsearch-$ES_PORT.pid"
  STATEDIR_FILE="$SERVICES_DIR/run/elasticsearch-$ES_PORT.dir"
}

es_healthy() { curl -sf -o /dev/null --max-time 5 "$(es_url)/_cluster/health"; }

es_start() {
  es_paths
  local pid
  pid="$(pv_read_pid "$PIDFILE" "$ES_HOME")"
  if pv_pid_alive "$pid"; then
    pv_wait_url "$(es_url)/_cluster/health" "$ES_START_TIMEOUT" "$pid" "$(cat "$STATEDIR_FILE" 2>/dev/null)/elasticsearch.out"
    es_url; return
  fi
  if pv_port_busy "$ES_PORT"; then
    pv_die "port $ES_PORT on 127.0.0.1 is already in use by another process (set ES_PORT)"
  fi
  pv_require curl setsid
  local java_home archive run_dir
  java_home="$(pv_java_home 21)"
  pv_prepare_services_dir >/dev/null
  archive="$(pv_maven_fetch "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip")"
  pv_unpack "$archive" "$ES_HOME"
  pv_ensure_service_user
  pv_own "$ES_HOME"

  # Fresh data, logs and tmp for every start.
  run_dir="$(mktemp -d "$SERVICES_DIR/run/elasticsearch-$ES_PORT.XXXXXX")"
  mkdir -p "$run_dir/data" "$run_dir/logs" "$run_dir/tmp"
  pv_own "$run_dir"
  chmod 755 "$run_dir"
  printf '%s\n' "$run_dir" >"$STATEDIR_FILE"

  local settings=(
    -Ediscovery.type=single-node
    -Enetwork.host=127.0.0.1
    "-Ehttp.port=$ES_PORT"
    "-Epath.data=$run_dir/data"
    "-Epath.logs=$run_dir/logs"
    -Ecluster.routing.allocation.disk.threshold_enabled=false
  )
  # The integ-test zip ships x-pack-security as a module: turn it off (plain HTTP, no auth).
  [[ -d "$ES_HOME/modules/x-pack-security" ]] && settings+=(-Expack.security.enabled=false)

  pv_log "starting Elasticsearch $ES_VERSION on $(es_url) (java: $java_home, data: $run_dir)"
  pid="$(pv_spawn "$run_dir/elasticsearch.out" env \
    "ES_JAVA_HOME=$java_home" "ES_JAVA_OPTS=-Xms$ES_HEAP -Xmx$ES_HEAP" "ES_TMPDIR=$run_dir/tmp" \
    "$ES_HOME/bin/elasticsearch" "${settings[@]}")"
  printf '%s\n' "$pid" >"$PIDFILE"
  pv_wait_url "$(es_url)/_cluster/health" "$ES_START_TIMEOUT" "$pid" "$run_dir/elasticsearch.out"
  pv_log "ready after ${SECONDS}s"
  es_url
}

es_stop() {
  es_paths
  if pv_stop_pidfile "$PIDFILE" "$ES_HOME" 60; then
    pv_log "stopped"
  else
    pv_log "not running"
  fi
  if [[ -f "$STATEDIR_FILE" ]]; then
    rm -rf "$(cat "$STATEDIR_FILE")"
    rm -f "$STATEDIR_FILE"
  fi
}

es_status() {
  es_paths
  local pid
  pid="$(pv_read_pid "$PIDFILE" "$ES_HOME")"
  if pv_pid_alive "$pid" && es_healthy; then
    echo "running (pid $pid) at $(es_url)"
  elif pv_pid_alive "$pid"; then
    echo "starting or unhealthy (pid $pid) at $(es_url)"; return 1
  else
    echo "stopped"; return 3
  fi
}

case "${1:-}" in
  start) es_start ;;
  stop) es_stop ;;
  status) es_status ;;
  url) es_url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac

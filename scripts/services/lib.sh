# shellcheck shell=bash
# Shared helpers for scripts/services/*.sh: newest JDK, Maven Central fetch (cached in ~/.m2),
# unpack cache, non-root service user, background start/stop and wait-for-URL.
# Sourced, not executed. Callers run with `set -euo pipefail`.

PV_SERVICE_USER="${PV_SERVICE_USER:-pvsvc}"
PV_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

pv_log() { printf '[%s] %s\n' "${PV_SERVICE_NAME:-services}" "$*" >&2; }
pv_die() { printf '[%s] ERROR: %s\n' "${PV_SERVICE_NAME:-services}" "$*" >&2; exit 1; }

pv_require() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || pv_die "'$c' is required but not installed"; done
}

# Root runs the services as $PV_SERVICE_USER, whose access to /root is blocked: keep the work dir
# outside root's home then. A normal user runs them as itself, under its own cache.
pv_services_dir() {
  if [[ -n "${PV_SERVICES_DIR:-}" ]]; then
    printf '%s\n' "$PV_SERVICES_DIR"
  elif [[ $EUID -eq 0 ]]; then
    printf '%s\n' /var/cache/prompt-vault/services
  else
    printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/prompt-vault/services"
  fi
}

# Newest JDK under /usr/lib/jvm (by the JAVA_VERSION in its `release` file), or $PV_JAVA_HOME.
# $1: minimum feature version (e.g. 21).
pv_java_home() {
  local min="${1:-17}" d ver best="" best_ver=""
  if [[ -n "${PV_JAVA_HOME:-}" ]]; then
    [[ -x "$PV_JAVA_HOME/bin/java" ]] || pv_die "PV_JAVA_HOME=$PV_JAVA_HOME has no bin/java"
    printf '%s\n' "$PV_JAVA_HOME"; return
  fi
  read -r best_ver best < <(
    for d in /usr/lib/jvm/*/; do
      d="${d%/}"
      [[ -L "$d" || ! -x "$d/bin/java" || ! -f "$d/release" ]] && continue
      ver="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$d/release")"
      [[ -n "$ver" ]] && printf '%s %s\n' "$ver" "$d"
    done | sort -V | tail -n1
  ) || true
  [[ -n "$best" ]] || pv_die "no JDK found in /usr/lib/jvm (set PV_JAVA_HOME)"
  [[ "${best_ver%%.*}" -ge "$min" ]] ||
    pv_die "newest JDK in /usr/lib/jvm is $best_ver ($best); ${PV_SERVICE_NAME:-this service} needs Java $min+ (set PV_JAVA_HOME)"
  printf '%s\n' "$best"
}

# Creates the work dir (and a run/ dir for pid files and per-start data) readable by the
# service user whatever the umask. Prints the work dir.
pv_prepare_services_dir() {
  local dir
  dir="$(pv_services_dir)"
  mkdir -p "$dir/run"
  chmod 755 "$dir" "$dir/run"
  [[ $EUID -eq 0 && "$dir" == /var/cache/prompt-vault/services ]] && chmod 755 /var/cache/prompt-vault
  printf '%s\n' "$dir"
}

pv_m2_repo() {
  if [[ -n "${PV_M2_REPO:-}" ]]; then printf '%s\n' "$PV_M2_REPO"; return; fi
  local s="$HOME/.m2/settings.xml" r=""
  [[ -f "$s" ]] && r="$(sed -n 's:.*<localRepository>\(.*\)</localRepository>.*:\1:p' "$s" | head -n1)"
  printf '%s\n' "${r:-$HOME/.m2/repository}"
}

# Local ~/.m2 path of group:artifact:version:ext (no classifier).
pv_m2_path() {
  local g a v e
  IFS=: read -r g a v e <<<"$1"
  printf '%s/%s/%s/%s/%s-%s.%s\n' "$(pv_m2_repo)" "${g//.//}" "$a" "$v" "$a" "$v" "$e"
}

# Ensures group:artifact:version:ext is in the local Maven repository (Maven Central downloads it
# the first time only) and prints its path.
pv_maven_fetch() {
  local coords="$1" path tmp cmd
  path="$(pv_m2_path "$coords")"
  if [[ -s "$path" ]]; then printf '%s\n' "$path"; return; fi
  pv_require mvn
  tmp="$(mktemp -d)"
  cmd=(mvn -B -q "$PV_DEP_PLUGIN:copy" "-Dartifact=$coords" "-DoutputDirectory=$tmp" -Dmdep.overWriteReleases=true)
  pv_log "downloading $coords from Maven Central (first time only; cached in $(pv_m2_repo))"
  if ! "${cmd[@]}" >"$tmp/mvn.log" 2>&1; then
    tail -n 20 "$tmp/mvn.log" >&2
    rm -rf "$tmp"
    pv_die "Maven could not fetch $coords: ${cmd[*]}"
  fi
  rm -rf "$tmp"
  [[ -s "$path" ]] || pv_die "Maven fetched $coords but it is not at $path (set PV_M2_REPO to your local repository)"
  printf '%s\n' "$path"
}

# Unpacks an archive (.zip / .tar.gz) once into $2 (the directory its single top-level folder
# becomes). Re-unpacks if $2 is missing or was left half-done.
pv_unpack() {
  local archive="$1" dest="$2" parent tmp top
  [[ -f "$dest/.pv-unpacked" ]] && return 0
  parent="$(dirname "$dest")"
  mkdir -p "$parent"
  tmp="$(mktemp -d "$parent/.unpack.XXXXXX")"
  pv_log "unpacking $(basename "$archive") into $dest"
  case "$archive" in
    *.zip) pv_require unzip; unzip -q "$archive" -d "$tmp" || { rm -rf "$tmp"; pv_die "could not unzip $archive"; } ;;
    *.tar.gz|*.tgz) tar -xzf "$archive" -C "$tmp" || { rm -rf "$tmp"; pv_die "could not untar $archive"; } ;;
    *) rm -rf "$tmp"; pv_die "unknown archive type: $archive" ;;
  esac
  top="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)"
  [[ -n "$top" ]] || { rm -rf "$tmp"; pv_die "$archive has no top-level directory"; }
  rm -rf "$dest"
  mv "$top" "$dest"
  rm -rf "$tmp"
  touch "$dest/.pv-unpacked"
}

# As root: make sure the service user exists (Elasticsearch refuses to run as root).
pv_ensure_service_user() {
  [[ $EUID -eq 0 ]] || return 0
  id -u "$PV_SERVICE_USER" >/dev/null 2>&1 && return 0
  pv_require useradd
  # Both scripts may run at once: a concurrent useradd that won the race is fine.
  useradd -r -m -d "/var/lib/$PV_SERVICE_USER" -s /usr/sbin/nologin "$PV_SERVICE_USER" 2>/dev/null ||
    id -u "$PV_SERVICE_USER" >/dev/null 2>&1 ||
    pv_die "could not create service user $PV_SERVICE_USER: useradd -r -m -d /var/lib/$PV_SERVICE_USER $PV_SERVICE_USER"
}

# Gives the service user ownership of the given paths (no-op unless root).
pv_own() {
  [[ $EUID -eq 0 ]] || return 0
  chown -R "$PV_SERVICE_USER:" "$@"
}

# Runs "$@" in the background, in its own session (so stop can signal the whole tree by its
# process-group id), as the service user when root. stdout/stderr go to $1. Prints the pid.
pv_spawn() {
  local log="$1"; shift
  if [[ $EUID -eq 0 ]]; then
    setsid runuser -u "$PV_SERVICE_USER" -- "$@" >"$log" 2>&1 </dev/null &
  else
    setsid "$@" >"$log" 2>&1 </dev/null &
  fi
  printf '%s\n' "$!"
}

pv_pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Pid from a pid file written by pv_spawn, printed only if that process is still alive and is
# still ours: its command line must mention $2 (the service's install dir). A pid file left by a
# reboot may name an unrelated process now; it is removed instead.
pv_read_pid() {
  local pidfile="$1" match="$2" pid cmdline=""
  [[ -f "$pidfile" ]] || return 0
  pid="$(head -n1 "$pidfile")"
  pv_pid_alive "$pid" && cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  if [[ -n "$cmdline" && "$cmdline" == *"$match"* ]]; then
    printf '%s\n' "$pid"
  else
    rm -f "$pidfile"
  fi
}

pv_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until `curl -sf $1` succeeds. $2: timeout seconds; $3: pid that must stay alive; $4: log.
pv_wait_url() {
  local url="$1" timeout="$2" pid="$3" log="$4" start=$SECONDS
  while ! curl -sf -o /dev/null --max-time 5 "$url"; do
    if ! pv_pid_alive "$pid"; then
      tail -n 40 "$log" >&2 || true
      pv_die "process $pid exited before $url answered (log: $log)"
    fi
    if (( SECONDS - start >= timeout )); then
      tail -n 40 "$log" >&2 || true
      pv_die "$url did not answer within ${timeout}s (pid $pid still running; log: $log; run stop to end it)"
    fi
    sleep 1
  done
}

# Stops the process group started by pv_spawn whose leader pid is in $1 (checked against $2 as
# in pv_read_pid), waiting up to $3 s before SIGKILL. Removes the pid file. Returns 1 if it
# was not running.
pv_stop_pidfile() {
  local pidfile="$1" match="$2" timeout="${3:-60}" pid start=$SECONDS
  pid="$(pv_read_pid "$pidfile" "$match")"
  if [[ -z "$pid" ]]; then rm -f "$pidfile"; return 1; fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while kill -0 -- "-$pid" 2>/dev/null; do
    if (( SECONDS - start >= timeout )); then
      pv_log "still running after ${timeout}s: SIGKILL to process group $pid"
      kill -KILL -- "-$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$pidfile"
  return 0
}

#!/usr/bin/env bash
# Makes a working Docker engine and the santokit-it images on a Debian 12
# machine without an image registry: Debian's docker.io + docker-compose 1.29,
# a `docker compose` CLI-plugin shim (testcontainers calls v2's syntax), the
# local base images (docker/build-local-images.sh) and the reference images.
#
# Progress goes to stderr. Stdout carries only `export NAME=value` lines:
#   eval "$(.ci/docker-setup.sh)"
# With GITHUB_ENV set, the same variables are appended there too.
# Exit status: 0 ready; 1 the engine or an image could not be made (said loudly:
# the compose leg must fail, not pass silently).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dockerd_log=${STK_IT_DOCKERD_LOG:-/var/log/santokit-it-dockerd.log}
dockerd_wait_s=${STK_IT_DOCKERD_WAIT_S:-60}
started=$(date +%s)

say() { printf '[docker-setup %3ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

fail_loudly() {
  {
    echo
    echo "######################################################################"
    echo "## DOCKER SETUP FAILED: $*"
    echo "## The compose stack cannot run on this machine. This leg FAILS."
    echo "######################################################################"
    if [ -f "$dockerd_log" ]; then echo "-- last lines of $dockerd_log:"; tail -n 30 "$dockerd_log"; fi
  } >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail_loudly "run as root (installs packages, starts dockerd, runs debootstrap)"

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [ ${#missing[@]} -eq 0 ]; then say "packages present"; return; fi
  say "installing ${missing[*]}"
  apt-get update -qq >&2 || fail_loudly "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || fail_loudly "apt-get install ${missing[*]} failed"
}

engine_answers() { timeout 5 docker info >/dev/null 2>&1; }

start_engine() {
  if engine_answers; then say "engine already running"; return; fi
  say "starting dockerd (log: $dockerd_log)"
  # setsid + nohup: the daemon outlives this script and ignores its signals.
  setsid nohup dockerd >"$dockerd_log" 2>&1 </dev/null &
  local deadline=$(( $(date +%s) + dockerd_wait_s ))
  until engine_answers; do
    [ "$(date +%s)" -lt "$deadline" ] || fail_loudly "dockerd did not answer within ${dockerd_wait_s}s"
    sleep 0.5
  done
  say "engine up"
}

write_compose_shim() {
  if timeout 10 docker compose version >/dev/null 2>&1; then say "docker compose answers"; return; fi
  local dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
  mkdir -p "$dir"
  cat >"$dir/docker-compose" <<'SHIM'
#!/bin/sh
# CLI-plugin shim: `docker compose ARGS` runs Debian's docker-compose 1.29 ARGS.
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"santokit-it","Version":"1.29.2","ShortDescription":"docker-compose v1 behind the v2 plugin name"}'
  exit 0
fi
shift
exec docker-compose "$@"
SHIM
  chmod 755 "$dir/docker-compose"
  timeout 10 docker compose version >/dev/null 2>&1 || fail_loudly "the compose plugin shim does not answer"
  say "wrote $dir/docker-compose"
}

install_packages
start_engine
write_compose_shim
exports=$("$repo/docker/build-local-images.sh") || fail_loudly "building the local base images failed"
eval "$exports"
# The reference image copies node_modules and is tagged by a hash of its
# sources, as the compose provider computes it, so runs find it built.
[ -d "$repo/node_modules/tsx" ] || fail_loudly "run npm ci before this script (the reference image copies node_modules)"
reference_tag=$(cd "$repo" && node --import tsx -e \
  'import("./src/stack/providers/reference-image.ts").then((m) => console.log(m.referenceImageTag(process.cwd())))') \
  || fail_loudly "cannot compute the reference image tag"
say "building the reference image santokit-it/reference:$reference_tag"
(cd "$repo" && STK_IT_REFERENCE_TAG=$reference_tag docker compose -f docker-compose.yaml build >&2) \
  || fail_loudly "docker compose build failed"
docker tag "santokit-it/reference:$reference_tag" santokit-it/reference:local
exports+=$'\nexport TESTCONTAINERS_RYUK_DISABLED=true'
printf '%s\n' "$exports"
if [ -n "${GITHUB_ENV:-}" ]; then printf '%s\n' "$exports" | sed 's/^export //' >>"$GITHUB_ENV"; fi
say "done"

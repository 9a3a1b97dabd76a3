#!/usr/bin/env bash
# Builds the base images the compose stack needs on a machine that cannot pull
# from an image registry, and skips any that already exist (the engine's image
# store is the cache between runs):
#   santokit-it/debian-base:bookworm   debootstrap --variant=minbase + docker import
#   santokit-it/node-base:<version>    that base + this machine's node binary
#   santokit-it/postgres:bookworm-<h> that base + Debian's postgresql (apt, --network host);
#                                      <h> hashes docker/postgres/, so a change rebuilds it
# Needs a running engine and, for the first image, root and debootstrap.
# Progress goes to stderr; stdout gets `export` lines for docker-compose.yaml:
#   eval "$(docker/build-local-images.sh)"
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base_image=${STK_IT_DEBIAN_IMAGE:-santokit-it/debian-base:bookworm}
node_image=${STK_IT_NODE_IMAGE:-santokit-it/node-base:$(node --version)}
postgres_hash=$(cat "$here/postgres/Dockerfile" "$here/postgres/entrypoint.sh" | sha256sum | cut -c1-12)
postgres_image=${STK_IT_POSTGRES_IMAGE:-santokit-it/postgres:bookworm-$postgres_hash}
started=$(date +%s)

say() { printf '[local-images %3ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

build_debian_base() {
  if image_exists "$base_image"; then say "have $base_image"; return; fi
  command -v debootstrap >/dev/null || die "debootstrap is not installed"
  local root; root=$(mktemp -d /var/tmp/stk-it-debootstrap.XXXXXX)
  say "debootstrap --variant=minbase bookworm (about 30 s)"
  debootstrap --variant=minbase bookworm "$root" >&2 || { rm -rf "$root"; die "debootstrap"; }
  tar -C "$root" -c . | docker import - "$base_image" >&2
  rm -rf "$root"
  say "imported $base_image"
}

build_node_base() {
  if image_exists "$node_image"; then say "have $node_image"; return; fi
  local ctx; ctx=$(mktemp -d)
  cp "$(command -v node)" "$ctx/node"
  docker build -q -f "$here/node-base/Dockerfile" --build-arg "BASE_IMAGE=$base_image" \
    -t "$node_image" "$ctx" >&2 || { rm -rf "$ctx"; die "node base image"; }
  rm -rf "$ctx"
  say "built $node_image"
}

build_postgres() {
  if image_exists "$postgres_image"; then say "have $postgres_image"; return; fi
  docker build -q --network host -f "$here/postgres/Dockerfile" --build-arg "BASE_IMAGE=$base_image" \
    -t "$postgres_image" "$here/postgres" >&2 || die "postgres image"
  say "built $postgres_image"
}

build_debian_base
build_node_base
build_postgres
printf 'export STK_IT_NODE_IMAGE=%s\nexport STK_IT_POSTGRES_IMAGE=%s\n' "$node_image" "$postgres_image"

#!/usr/bin/env bash
# Builds the root filesystem tarball of the test image (Debian bookworm with Python 3.11, venv
# and the PostgreSQL client) with debootstrap, once: the tarball is cached outside the repository
# so that fresh clones and repeated runs reuse it. Prints the tarball's path.
# There is no image registry on the machines Ordo is tested on, so the image is imported from
# this tarball instead of pulled (test/fixtures/docker/ensure-test-image.mjs).
set -euo pipefail

cache_dir="${ORDO_TEST_IMAGE_CACHE:-/var/cache/ordo-test-images}"
tarball="$cache_dir/bookworm-rootfs.tar"
mirror="${ORDO_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
packages="python3,python3-venv,postgresql-client,ca-certificates"

log() { printf '\033[1m[ordo podman]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[ordo podman] %s\033[0m\n' "$*" >&2; exit 1; }

if [ -s "$tarball" ]; then
  echo "$tarball"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "building the root filesystem needs root (debootstrap); run this as root once."
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing: apt-get install -y debootstrap"

mkdir -p "$cache_dir"
work="$(mktemp -d "$cache_dir/rootfs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log "debootstrap bookworm ($packages) into $work/root — about a minute"
debootstrap --variant=minbase --include="$packages" bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
# Package caches and lists are not needed at run time and make up a third of the size.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
tar --numeric-owner -C "$work/root" -cf "$work/rootfs.tar" .
mv "$work/rootfs.tar" "$tarball"
log "root filesystem cached at $tarball ($(du -h "$tarball" | cut -f1))"
echo "$tarball"

#!/usr/bin/env bash
# Installs the Debian packages Ocular needs and are missing, saying what it
# installs. Usage: scripts/install-deps.sh run|test
#   run:  a C compiler, the X11/OpenGL headers Fyne's GLFW driver builds against, and Mesa's
#         software OpenGL (a window opens on machines without a GPU driver)
#   test: the above, plus Xvfb and the X tools the end-to-end test drives the window with,
#         libtiff-tools (the TIFF writer is checked with tiffinfo/tiffcp) and libvips-tools
#         (the import benchmark's anchor), PostgreSQL's server (the tests start a
#         throwaway cluster of their own: scripts/with-postgres.sh), Node.js (when missing) and the JavaScript OME-Zarr
#         client zarrita the server's OME-Zarr test reads with (pinned in scripts/node-test,
#         installed into ${XDG_CACHE_HOME:-~/.cache}/ocular-test/node).
set -euo pipefail
mode=${1:-run}

run_pkgs=(gcc pkg-config libc6-dev libgl1-mesa-dev libgl1-mesa-dri xorg-dev)
test_pkgs=(xvfb xauth imagemagick xdotool x11-utils libtiff-tools libvips-tools postgresql)

pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")
# Node.js may come from Debian or from NodeSource (whose nodejs bundles npm
# and conflicts with Debian's npm): Debian's is installed only when there is
# no node at all.
if [ "$mode" = test ] && ! command -v node >/dev/null 2>&1; then pkgs+=(nodejs npm); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
      echo "error: these packages are missing and you are not root and have no sudo: ${missing[*]}" >&2
      echo "Ask an administrator to run: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Go itself: Debian's golang package is older than this module needs, and
# toolchains cannot be downloaded here, so we only check and explain.
GO=${GO:-go}
if ! command -v "$GO" >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; else
    echo "error: Go is not installed. Install Go 1.26 or newer (https://go.dev/doc/install) into /usr/local/go and run this again." >&2
    exit 1
  fi
fi
"$GO" mod download

# The OME-Zarr client the server's test reads with (zarrita.js), at the
# versions pinned in scripts/node-test/package-lock.json, outside the source
# tree; repository/remote/server/zarr_client_test.go looks for it there (or in
# $ZARRITA_MODULES).
if [ "$mode" = test ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  dest=${XDG_CACHE_HOME:-$HOME/.cache}/ocular-test/node
  if ! cmp -s "$here/node-test/package-lock.json" "$dest/package-lock.json" || [ ! -f "$dest/node_modules/zarrita/package.json" ]; then
    echo "Installing zarrita (the OME-Zarr client of the server's tests) into $dest"
    mkdir -p "$dest"
    cp "$here/node-test/package.json" "$here/node-test/package-lock.json" "$dest/"
    (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

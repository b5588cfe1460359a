#!/usr/bin/env bash
# Prepares the real-VS Code test tiers on Debian with only the npm registry and apt reachable:
# Debian chromium (+ headers code-server's native modules build against) and code-server
# (VS Code 1.100.3 server + web workbench) in the git-ignored .vscode-test/ folder.
# Idempotent: a finished set-up is detected in well under a second.
#   scripts/setup-vscode-test.sh            set up what is missing
#   SPECGATE_VSCODE_TEST_DIR=/x ...          use another folder than .vscode-test/
set -euo pipefail

CS_VERSION=4.100.3
RG_CACHE_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
RG_NPM=@vscode/ripgrep-linux-x64@1.18.0

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${SPECGATE_VSCODE_TEST_DIR:-$ROOT/.vscode-test}"
CS_DIR="$DIR/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
CS_MARK="$CS_DIR/.installed-$CS_VERSION"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
say() { echo "setup-vscode-test: $*"; }
T0=$(now)

mkdir -p "$DIR/tmp" "$DIR/xdg/config" "$DIR/xdg/data" "$DIR/xdg/cache"
export TMPDIR="$DIR/tmp" XDG_CONFIG_HOME="$DIR/xdg/config" XDG_DATA_HOME="$DIR/xdg/data" XDG_CACHE_HOME="$DIR/xdg/cache"

# One set-up at a time (several test runs may start together on one machine).
exec 9>"$DIR/.setup.lock"
flock 9

# 1) Debian packages. Headers are only needed while code-server is being built.
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
if [ ! -f "$CS_MARK" ]; then
  for p in libkrb5-dev pkg-config; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages: ${need[*]}. Install them as root: apt-get install -y --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
  say "apt-get install ${need[*]}"
  t=$(now)
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  say "apt packages installed in $(secs "$t" "$(now)")s"
  [ -x "$CHROMIUM" ] || { say "chromium installed but $CHROMIUM is missing; set CHROMIUM=/path/to/chromium" >&2; exit 1; }
else
  say "Debian packages present (chromium at $CHROMIUM)"
fi

# 2) code-server from the npm registry.
if [ -f "$CS_MARK" ] && [ -x "$CS_BIN" ]; then
  say "code-server $CS_VERSION present in ${CS_DIR#"$ROOT"/}"
else
  t=$(now)
  say "installing code-server $CS_VERSION into ${CS_DIR#"$ROOT"/} (about a minute)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # @vscode/ripgrep downloads rg from GitHub in its postinstall unless its cache in $TMPDIR
  # already holds the release asset: build that asset from the rg binary npm ships.
  rg_cache="$TMPDIR/vscode-ripgrep-cache-$RG_CACHE_VERSION"
  if [ ! -f "$rg_cache/$RG_ASSET" ]; then
    work="$(mktemp -d "$TMPDIR/rg-XXXXXX")"
    (cd "$work" && npm pack --silent "$RG_NPM" >/dev/null && tar xzf ./*.tgz)
    mkdir -p "$rg_cache"
    tar czf "$rg_cache/$RG_ASSET" -C "$work/package/bin" rg
    rm -rf "$work"
  fi
  echo '{ "name": "specgate-code-server", "private": true }' > "$CS_DIR/package.json"
  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's install runs `npx node-gyp`, which cancels when npm's `yes` is false.
  # nodedir: node-gyp builds against /usr/include/node instead of downloading headers.
  (cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" 2>&1 \
    | grep -v -e 'Unknown env config' -e 'Unknown user config' || true)
  version="$("$CS_BIN" --version 2>/dev/null | tail -n 1 || true)"
  case "$version" in
    "$CS_VERSION "*) touch "$CS_MARK" ;;
    *) say "code-server did not install: '$CS_BIN --version' printed '$version'" >&2; exit 1 ;;
  esac
  say "code-server installed in $(secs "$t" "$(now)")s: $version"
fi

# Sockets that ended runs of code-server left behind (live runs are minutes old).
find "$TMPDIR" -maxdepth 1 -name 'vscode-*.sock' -mmin +120 -delete 2>/dev/null || true

# 3) playwright-core drives chromium; it is a devDependency (npm ci installs it).
if ! (cd "$ROOT" && node -e "require.resolve('playwright-core')" 2>/dev/null); then
  say "playwright-core is not installed: run 'npm ci' (it is a devDependency)" >&2
  exit 1
fi

say "ready in $(secs "$T0" "$(now)")s"

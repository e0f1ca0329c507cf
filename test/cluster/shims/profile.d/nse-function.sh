# CoreOS' /etc/profile.d/nse-function.sh on a Deis v1 host: a shell function,
# so login shells have nse and non-interactive SSH commands do not. Sourced by
# core's ~/.bash_profile (test/cluster/lib/ssh-host.ts).
function nse() {
	docker exec -it $1 bash
}

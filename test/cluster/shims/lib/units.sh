# fleet's unit table, kept in $UNITS_FILE: one unit per line,
#   <unit> TAB <machine ip> TAB <load> TAB <active> TAB <sub>
# load "-" means not installed (fleet does not list it). The machine ip is kept
# while a unit is uninstalled so a test can place a unit on another host first.

# store-gateway@1, deis-store-gateway@1 and deis-store-gateway@1.service all name one unit.
unit_full() {
	local u=${1%.service}
	u=${u#deis-}
	printf 'deis-%s.service' "$u"
}

# Data containers (oneshot units) show active/exited instead of active/running.
unit_running_sub() {
	case $1 in
	*-data.service) printf exited ;;
	*) printf running ;;
	esac
}

# Runs "$@" while holding the table's lock, so concurrent deisctl calls do not lose updates.
with_units_lock() {
	local fd
	exec {fd}>>"$UNITS_FILE.lock"
	flock "$fd"
	"$@"
	local rc=$?
	exec {fd}>&-
	return $rc
}

# Rewrites the table through awk: $1 = awk program working on $1..$5 (tab separated).
units_rewrite() {
	local tmp="$UNITS_FILE.tmp.$$"
	awk -F '\t' -v OFS='\t' "$@" "$UNITS_FILE" >"$tmp"
	mv "$tmp" "$UNITS_FILE"
}

unit_field() { # unit column -> value (empty when unknown)
	awk -F '\t' -v u="$1" -v c="$2" '$1 == u { print $c }' "$UNITS_FILE"
}

units_installed() {
	awk -F '\t' '$3 != "-" && $1 != "" { print $1 }' "$UNITS_FILE"
}

units_all() {
	awk -F '\t' '$1 != "" { print $1 }' "$UNITS_FILE"
}

# fleet's `list-units` table, aligned like its tabwriter output.
units_table() {
	local unit ip load active sub
	local -A machine_id=() # md5 of the ip stands in for fleet's machine id; one md5sum per machine
	{
		printf 'UNIT\tMACHINE\tLOAD\tACTIVE\tSUB\n'
		while IFS=$'\t' read -r unit ip load active sub; do
			[ -n "$unit" ] && [ "$load" != - ] || continue
			[ -n "${machine_id[$ip]:-}" ] || machine_id[$ip]=$(printf '%s' "$ip" | md5sum | cut -c1-8)
			printf '%s\t%s.../%s\t%s\t%s\t%s\n' "$unit" "${machine_id[$ip]}" "$ip" "$load" "$active" "$sub"
		done < <(LC_ALL=C sort "$UNITS_FILE")
	} | awk -F '\t' '
		{ rows[NR] = $0; for (i = 1; i <= NF; i++) if (length($i) > w[i]) w[i] = length($i) }
		END {
			for (r = 1; r <= NR; r++) {
				n = split(rows[r], f, "\t"); line = ""
				for (i = 1; i < n; i++) line = line sprintf("%-" (w[i] + 2) "s", f[i])
				print line f[n]
			}
		}'
}

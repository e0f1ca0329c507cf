#!/usr/bin/env bash
# What the Deis v1 controller writes to etcd when its models are saved
# (api/models.py: Key, App, Domain, Certificate, Config), read from the
# deis-database PostgreSQL.
#   publish-models.sh <etcd host:port> <model>...   model: key app domain certificate config
#
# One psql call renders every write as a curl config entry and one curl call
# sends them all (v2 API, like etcdctl set/mkdir): a process per key made this
# take seconds on a busy machine.
. "${BASH_SOURCE[0]%/*}/common.sh"

etcd=${1:?usage: publish-models.sh <etcd host:port> <model>...}
shift
[ $# -gt 0 ] || die "publish-models.sh: no model given"

# Each model: rows of (etcd key, value); a NULL value means "a directory".
declare -A model_sql=(
	# Deis' fingerprint: MD5 of the decoded key body as colon-separated hex pairs.
	[key]="SELECT '/deis/builder/users/' || owner || '/' || regexp_replace(md5(decode(split_part(public, ' ', 2), 'base64')), '(..)(?!\$)', '\1:', 'g'), public FROM api_key"
	[app]="SELECT '/deis/services/' || id, NULL FROM api_app"
	[domain]="SELECT '/deis/domains/' || domain, app FROM api_domain"
	[certificate]="SELECT '/deis/certs/' || common_name || '/' || part, CASE part WHEN 'cert' THEN certificate ELSE key END FROM api_certificate, unnest(ARRAY['cert', 'key']) part"
	[config]="SELECT '/deis/config/' || c.app || '/' || lower(v.key), v.value FROM api_config c, json_each_text(c.values) v"
)

selects=()
for model in "$@"; do
	[ -n "${model_sql[$model]:-}" ] || die "publish-models.sh: unknown model '$model'"
	selects+=("SELECT ${#selects[@]} AS n, k, v FROM (${model_sql[$model]}) AS m(k, v)")
done
union=$(printf ' UNION ALL %s' "${selects[@]}")

curl -fsS --max-time 3 "http://$etcd/version" >/dev/null 2>&1 ||
	die "cannot reach etcd at $etcd (ETCD=$etcd): connection failed"

config=$("$PG_BIN/psql" -h "$LOOPBACK" -p "$PG_PORT" -U postgres -d deis -XAtq -v ON_ERROR_STOP=1 <<SQL
-- A curl config string: double-quoted with backslash escapes.
CREATE FUNCTION pg_temp.q(t text) RETURNS text LANGUAGE sql AS \$\$
	SELECT '"' || replace(replace(replace(replace(replace(t, E'\\\\', E'\\\\\\\\'), '"', E'\\\\"'), E'\\n', E'\\\\n'), E'\\r', E'\\\\r'), E'\\t', E'\\\\t') || '"'
\$\$;
SELECT concat_ws(E'\\n', 'next',
	'url = ' || pg_temp.q('http://$etcd/v2/keys' || k || CASE WHEN v IS NULL THEN '?dir=true' ELSE '' END),
	'request = "PUT"',
	CASE WHEN v IS NOT NULL THEN 'data-urlencode = ' || pg_temp.q('value=' || v) END,
	'output = "/dev/null"',
	'write-out = ' || pg_temp.q('%{http_code} ' || CASE WHEN v IS NULL THEN 'dir' ELSE 'value' END || ' ' || k || E'\\n'))
FROM (${union# UNION ALL }) AS writes ORDER BY n, k;
SQL
) || die "publish-models.sh: reading the deis database failed"
[ -n "$config" ] || exit 0

# An existing directory answers 403 ("Not a file"): the controller ignores that too.
curl -sS -K - <<<"${config#next$'\n'}" | awk '
	$1 !~ /^20[01]$/ && !($1 == "403" && $2 == "dir") { print "etcd write failed: HTTP " $1 " for " $3 > "/dev/stderr"; failed = 1 }
	END { exit failed }'

/**
 * `pg_dumpall` output of the deis-database container: PostgreSQL 15's plain
 * SQL format with the controller's tables and their rows as COPY blocks, so a
 * backup of the demo holds a dump that reads like the real one.
 */
import type { DemoModel } from './model.js';

/** COPY's text format: tab-separated, `\N` for NULL, backslash escapes. */
function copyValue(v: string | number | boolean | null): string {
	if (v === null) return '\\N';
	if (typeof v === 'boolean') return v ? 't' : 'f';
	return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function copyBlock(table: string, columns: string[], rows: Array<Array<string | number | boolean | null>>): string {
	const body = rows.map((r) => r.map(copyValue).join('\t') + '\n').join('');
	return [
		'--',
		`-- Data for Name: ${table}; Type: TABLE DATA; Schema: public; Owner: deis`,
		'--',
		'',
		`COPY public.${table} (${columns.join(', ')}) FROM stdin;`,
		`${body}\\.`,
		'',
		'',
	].join('\n');
}

const TABLES: Record<string, string> = {
	auth_user: `    id integer NOT NULL,
    password character varying(128) NOT NULL,
    last_login timestamp with time zone,
    is_superuser boolean NOT NULL,
    username character varying(30) NOT NULL,
    first_name character varying(30) NOT NULL,
    last_name character varying(30) NOT NULL,
    email character varying(75) NOT NULL,
    is_staff boolean NOT NULL,
    is_active boolean NOT NULL,
    date_joined timestamp with time zone NOT NULL`,
	api_app: `    uuid uuid NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    id character varying(64) NOT NULL,
    structure text NOT NULL,
    owner_id integer NOT NULL`,
	api_certificate: `    id integer NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    certificate text NOT NULL,
    key text NOT NULL,
    common_name text,
    expires timestamp with time zone NOT NULL,
    owner_id integer NOT NULL`,
	api_config: `    uuid uuid NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    "values" text NOT NULL,
    memory text NOT NULL,
    cpu text NOT NULL,
    tags text NOT NULL,
    app_id character varying(64) NOT NULL,
    owner_id integer NOT NULL`,
	api_domain: `    id integer NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    domain text NOT NULL,
    app_id character varying(64) NOT NULL,
    owner_id integer NOT NULL`,
	api_key: `    uuid uuid NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    id character varying(128) NOT NULL,
    public text NOT NULL,
    fingerprint character varying(128),
    owner_id integer NOT NULL`,
};

const PREAMBLE = `SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
`;

function dbHeader(): string {
	return `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.6
-- Dumped by pg_dump version 15.6

${PREAMBLE}`;
}

const DB_FOOTER = `--
-- PostgreSQL database dump complete
--

`;

export function pgDumpAll(model: DemoModel): string {
	const json = (v: unknown) => JSON.stringify(v);
	const data = [
		copyBlock(
			'api_app',
			['uuid', 'created', 'updated', 'id', 'structure', 'owner_id'],
			model.apps.map((a) => [a.uuid, a.created, a.created, a.id, json(a.structure), a.ownerId]),
		),
		copyBlock(
			'api_certificate',
			['id', 'created', 'updated', 'certificate', 'key', 'common_name', 'expires', 'owner_id'],
			model.certificates.map((c) => [c.id, c.created, c.created, c.certificate, c.key, c.commonName, c.expires, c.ownerId]),
		),
		copyBlock(
			'api_config',
			['uuid', 'created', 'updated', '"values"', 'memory', 'cpu', 'tags', 'app_id', 'owner_id'],
			model.configs.map((c) => [c.uuid, c.created, c.created, json(c.values), json(c.memory), json(c.cpu), json(c.tags), c.appId, c.ownerId]),
		),
		copyBlock(
			'api_domain',
			['id', 'created', 'updated', 'domain', 'app_id', 'owner_id'],
			model.domains.map((d) => [d.id, d.created, d.created, d.domain, d.appId, d.ownerId]),
		),
		copyBlock(
			'api_key',
			['uuid', 'created', 'updated', 'id', 'public', 'fingerprint', 'owner_id'],
			model.keys.map((k) => [k.uuid, k.created, k.created, k.id, k.public, k.fingerprint, k.ownerId]),
		),
		copyBlock(
			'auth_user',
			['id', 'password', 'last_login', 'is_superuser', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'date_joined'],
			model.users.map((u) => [
				u.id,
				`pbkdf2_sha256$12000$demo${u.id}$${Buffer.from(u.username.padEnd(32, '.')).toString('base64')}`,
				null,
				u.isSuperuser,
				u.username,
				'',
				'',
				u.email,
				u.isSuperuser,
				true,
				u.dateJoined,
			]),
		),
	];
	const tables = Object.entries(TABLES)
		.map(
			([name, cols]) => `--
-- Name: ${name}; Type: TABLE; Schema: public; Owner: deis
--

CREATE TABLE public.${name} (
${cols}
);


ALTER TABLE public.${name} OWNER TO deis;

`,
		)
		.join('');
	const serial = (table: string, last: number) =>
		`SELECT pg_catalog.setval('public.${table}_id_seq', ${last}, true);\n\n`;

	return `--
-- PostgreSQL database cluster dump
--

SET default_transaction_read_only = off;

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

--
-- Roles
--

CREATE ROLE deis;
ALTER ROLE deis WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:ZGVpcy1kZW1v$ZGVtbw==:ZGVtbw==';
CREATE ROLE postgres;
ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;

--
-- User Configurations
--








--
-- Databases
--

--
-- Database "template1" dump
--

\\connect template1

${dbHeader()}
${DB_FOOTER}--
-- Database "deis" dump
--

${dbHeader()}
--
-- Name: deis; Type: DATABASE; Schema: -; Owner: deis
--

CREATE DATABASE deis WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C.UTF-8';


ALTER DATABASE deis OWNER TO deis;

\\connect deis

${PREAMBLE}
SET default_tablespace = '';

SET default_table_access_method = heap;

${tables}${data.join('')}${serial('auth_user', model.users.length)}${serial('api_domain', model.domains.length)}${serial('api_certificate', model.certificates.length)}${DB_FOOTER}--
-- Database "postgres" dump
--

${dbHeader()}
${DB_FOOTER}--
-- PostgreSQL database cluster dump complete
--

`;
}

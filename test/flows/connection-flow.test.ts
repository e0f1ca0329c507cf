/**
 * The connection questions as a pure reducer (source/ui/connection-flow.ts),
 * without Ink or a terminal: which question comes next, what it offers, where
 * a failed check leads, for the wizard (known answers reviewed) and --plain
 * (known answers taken as given).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionSettings } from '../../source/settings.js';
import { answersOf, checkAnswer, formFlow, offeredValue, startForm, type FormEvent, type FormOptions, type FormPhase, type FormState } from '../../source/ui/connection-flow.js';
import { flow, startFlow, type FlowSetup } from '../../source/ui/flow.js';

const HOME = '/home/op';
const WIZARD: FormOptions = { homeDir: HOME, reviewsGiven: true };
const PLAIN: FormOptions = { homeDir: HOME, reviewsGiven: false };
const CLUSTER: ConnectionSettings = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' };

function play(state: FormState, events: FormEvent[]): FormState {
	return events.reduce(formFlow, state);
}

const answered = (field: 'host' | 'port' | 'user' | 'identity' | 'domain', value: string, unreachable?: string): FormEvent => ({ type: 'answered', field, value, ...(unreachable ? { unreachable } : {}) });
const asking = (phase: FormPhase) => (phase.kind === 'ask' ? phase.field : phase.kind);

describe('connection questions', () => {
	it('Vagrant: every question offers the preset, and the answers keep its port', () => {
		let state = formFlow(startForm({}, WIZARD), { type: 'where-chosen', where: 'vagrant', label: 'Vagrant on this machine' });
		const offers: Array<string | undefined> = [];
		for (const field of ['host', 'port', 'user', 'identity', 'domain'] as const) {
			assert.equal(asking(state.phase), field);
			offers.push(offeredValue(state, field));
			state = formFlow(state, answered(field, offeredValue(state, field) ?? ''));
		}
		assert.deepEqual(offers, ['127.0.0.1', '2222', 'core', '~/.vagrant.d/insecure_private_key', 'local3.deisapp.com']);
		assert.deepEqual(state.phase, { kind: 'done', answers: { host: '127.0.0.1', port: 2222, user: 'core', identity: '/home/op/.vagrant.d/insecure_private_key', domain: 'local3.deisapp.com' } });
	});

	it('port and user: 22 and core offered to another host are left to ssh_config; typed values, a preset and flags are answers', () => {
		const other = (port: string, user: string) => {
			const state = play(startForm({}, WIZARD), [{ type: 'where-chosen', where: 'other', label: 'Another host' }, answered('host', 'deis-prod'), answered('port', port), answered('user', user), answered('identity', ''), answered('domain', 'example.com')]);
			return state.phase.kind === 'done' ? [state.phase.answers.port, state.phase.answers.user] : 'not done';
		};
		assert.deepEqual(other('22', 'core'), [undefined, undefined], 'ssh_config Port and User, else 22 and core, as on the command line');
		assert.deepEqual(other('2022', 'deploy'), [2022, 'deploy']);
		const flagged = play(startForm({ ...CLUSTER, host: 'deis-prod' }, WIZARD), [{ type: 'accepted' }, { type: 'checked', field: 'host' }, { type: 'checked', field: 'port' }, { type: 'checked', field: 'user' }, { type: 'checked', field: 'identity' }, { type: 'checked', field: 'domain' }]);
		assert.deepEqual(flagged.phase, { kind: 'done', answers: { ...CLUSTER, host: 'deis-prod' } }, '--port 22 is a flag: it wins');
		const unflagged = formFlow(startForm({ host: 'deis-prod', domain: 'example.com' }, PLAIN), answered('identity', ''));
		assert.deepEqual(unflagged.phase, { kind: 'done', answers: { host: 'deis-prod', domain: 'example.com' } }, 'no --port, no --user: ssh_config decides');
	});

	it('a domain whose gateway does not resolve leads to the tunnel, a gateway URL, or the domain again', () => {
		const atDomain = play(startForm({ host: 'h.example.com', port: 22, user: 'core' }, PLAIN), [answered('identity', '')]);
		assert.equal(asking(atDomain.phase), 'domain');
		const route = formFlow(atDomain, answered('domain', 'example.com', 'deis-store.example.com does not resolve from this machine.'));
		assert.deepEqual(route.phase, { kind: 'route', message: 'deis-store.example.com does not resolve from this machine.', then: 'submit' });
		const tunnel = formFlow(route, { type: 'route-chosen', route: 'tunnel' });
		assert.deepEqual(tunnel.phase.kind === 'done' && tunnel.phase.answers, { host: 'h.example.com', port: 22, user: 'core', domain: 'example.com', tunnel: true });
		const endpoint = formFlow(route, { type: 'route-chosen', route: 'endpoint' });
		assert.deepEqual(endpoint.phase, { kind: 'endpoint', then: 'submit' });
		assert.equal(formFlow(endpoint, { type: 'endpoint-cancelled' }).phase.kind, 'route');
		const url = formFlow(endpoint, { type: 'endpoint-answered', url: ' http://10.0.0.5 ' });
		assert.deepEqual(url.phase.kind === 'done' && url.phase.answers.storeEndpoint, 'http://10.0.0.5');
		const again = formFlow(route, { type: 'route-chosen', route: 'domain' });
		assert.deepEqual(again.phase, { kind: 'ask', field: 'domain', edit: true });
	});

	it('the wizard reviews known answers; "Use these settings" checks each unchecked one, and a problem reopens its question', () => {
		const review = startForm(CLUSTER, WIZARD);
		assert.deepEqual(review.phase, { kind: 'review' });
		const checking = formFlow(review, { type: 'accepted' });
		assert.deepEqual(checking.phase, { kind: 'checking', field: 'host' });
		const bad = play(checking, [{ type: 'checked', field: 'host' }, { type: 'checked', field: 'port' }, { type: 'checked', field: 'user' }, { type: 'checked', field: 'identity' }, { type: 'checked', field: 'domain', problem: 'HTTP 404.' }]);
		assert.deepEqual(bad.phase, { kind: 'ask', field: 'domain', edit: true, error: 'HTTP 404.' });
		const fixed = play(bad, [answered('domain', 'example.org'), { type: 'accepted' }]);
		assert.deepEqual(fixed.phase.kind === 'done' && fixed.phase.answers, { ...CLUSTER, domain: 'example.org' }, 'only the unchecked answers are checked again: none left');
		const unreachable = play(checking, [{ type: 'checked', field: 'host' }, { type: 'checked', field: 'port' }, { type: 'checked', field: 'user' }, { type: 'checked', field: 'identity' }, { type: 'checked', field: 'domain', unreachable: 'No name.' }]);
		assert.deepEqual(unreachable.phase, { kind: 'route', message: 'No name.', then: 'submit' });
	});

	it('--plain asks only what the flags did not answer, and Vagrant only without a host', () => {
		assert.deepEqual(startForm({}, PLAIN).phase, { kind: 'where' });
		const keyGiven = play(startForm({ identity: '/k' }, PLAIN), [{ type: 'where-chosen', where: 'other', label: 'Another host' }, answered('host', 'h.example.com'), answered('port', '22'), answered('user', 'core')]);
		assert.equal(asking(keyGiven.phase), 'domain', '--identity answered the key question');
		let state = startForm({ host: '127.0.0.1' }, PLAIN);
		const asked: string[] = [];
		while (state.phase.kind === 'ask') {
			asked.push(state.phase.field);
			const { field } = state.phase;
			state = formFlow(state, answered(field, field === 'domain' ? 'example.com' : (offeredValue(state, field) ?? '')));
		}
		assert.deepEqual(asked, ['port', 'user', 'identity', 'domain']);
		assert.deepEqual(state.phase.kind === 'done' && state.phase.answers, { host: '127.0.0.1', domain: 'example.com' });
		const domainOnly = startForm({ host: '127.0.0.1', port: 2222, identity: '/k', domain: 'example.com' }, PLAIN);
		assert.equal(domainOnly.phase.kind, 'done', 'user has its default with host and domain given');
	});

	it('a refused connection: the wizard reviews the answers with the reason; --plain asks the rest again, or everything when flags gave it all', () => {
		const retry = { error: 'Permission denied.', previous: { host: 'deis-prod', user: 'core', domain: 'example.com' } };
		const wizard = startForm({}, WIZARD, retry);
		assert.deepEqual(wizard.phase, { kind: 'review', error: 'Permission denied.' });
		assert.equal(answersOf(wizard).port, undefined, 'the port stays left to ssh_config');
		const plain = startForm({ host: 'deis-prod' }, PLAIN, retry);
		assert.deepEqual(plain.phase, { kind: 'ask', field: 'port', edit: false, error: 'Permission denied.' });
		const flags = { ...CLUSTER, identity: '/home/op/.ssh/id' };
		const allFlags = startForm(flags, PLAIN, { ...retry, previous: flags });
		assert.deepEqual(allFlags.phase, { kind: 'ask', field: 'host', edit: false, error: 'Permission denied.' }, 'not the same refused answers forever');
		assert.equal(offeredValue(allFlags, 'host'), CLUSTER.host);
	});

	it('checks: syntax at once, the key file and the gateway through the probes', async () => {
		const state = startForm({}, WIZARD);
		assert.deepEqual(checkAnswer(state, 'port', '99999', {}), { problem: '99999 is outside the port range 1–65535.' });
		assert.deepEqual(checkAnswer(state, 'identity', 'agent', { identity: () => 'never asked' }), {}, '"agent" is no file');
		assert.deepEqual(await checkAnswer(state, 'identity', '~/.ssh/k', { identity: async (path) => `no ${path}` }), { problem: 'no /home/op/.ssh/k' });
		const domain = (offerRoutes: boolean) => ({ domain: async () => ({ message: 'gone', offerRoutes }) });
		assert.deepEqual(await checkAnswer(state, 'domain', 'example.com', domain(true)), { unreachable: 'gone' });
		assert.deepEqual(await checkAnswer(state, 'domain', 'example.com', domain(false)), { problem: 'gone' });
	});
});

describe('wizard flow with the connection questions', () => {
	const setup = (form: FormOptions): FlowSetup => ({ assumeYes: false, preview: () => [], offersProfiles: false, previewsSettings: false, savesProfiles: false, form });

	it('--plain with every connection answer a flag goes straight to the SSH check', () => {
		const flags = { ...CLUSTER, identity: '/home/op/.ssh/id' };
		assert.deepEqual(startFlow({ kind: 'restore', connection: flags }, setup(PLAIN)).step, { kind: 'connecting', answers: flags, attempt: 0 });
		assert.equal(startFlow({ kind: 'restore', connection: flags }, setup(WIZARD)).step.kind, 'connection', 'the wizard shows them for review first');
	});

	it('--plain from the first connection question to the folder: answers, the SSH check, the note', () => {
		const config = setup(PLAIN);
		let state = startFlow({ kind: 'backup', connection: { host: 'deis-prod' } as ConnectionSettings }, config);
		for (const event of [answered('port', '22'), answered('user', 'core'), answered('identity', ''), answered('domain', 'example.com')]) state = flow(state, { type: 'form', event }, config).state;
		assert.deepEqual(state.step, { kind: 'connecting', answers: { host: 'deis-prod', domain: 'example.com' }, attempt: 0 });
		const refused = flow(state, { type: 'connection-checked', error: 'Connection refused.' }, config).state;
		assert.equal(refused.step.kind === 'connection' && refused.step.form.phase.kind === 'ask' && refused.step.form.phase.error, 'Connection refused.');
		const checked = flow(state, { type: 'connection-checked', connection: { ...CLUSTER, host: 'deis-prod', port: 2200 } }, config);
		assert.deepEqual(checked.output, [{ kind: 'note', label: 'Connection', value: 'core@deis-prod:2200, domain example.com' }], 'the note shows the port ssh_config gave');
		assert.deepEqual(checked.state.step, { kind: 'folder', checkGiven: false });
	});
});

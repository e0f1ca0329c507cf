import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { MASKED } from '../../source/steps/settings/display.js';
import type { SettingsPlan } from '../../source/steps/settings/plan.js';
import { SettingsPicker } from '../../source/ui/components/settings-picker.js';
import type { WizardOutcome } from '../../source/ui/wizard.js';
import { Wizard } from '../../source/ui/wizard.js';
import { fakeServices } from './fake-services.js';
import { answer, keys, press, until, waitFor } from './helpers.js';

afterEach(() => cleanup());

const PLAN: SettingsPlan = {
	upgrade: { message: 'backup of v1.12.2 → restoring into v1.13.4, a migration upgrade' },
	rows: [
		{ key: 'router/sslKey', status: 'new', secret: true, shown: MASKED, choosable: true, chosen: true, early: false },
		{ key: 'controller/registrationMode', from: 'controller/registrationEnabled', status: 'new', secret: false, shown: 'disabled', choosable: true, chosen: true, early: false },
		{ key: 'platform/domain', status: 'different', secret: false, shown: 'old.example.com', current: 'example.com', choosable: true, chosen: false, early: false, note: 'the new cluster serves example.com' },
		{ key: 'store/pgNum', status: 'new', secret: false, shown: '128', choosable: true, chosen: true, early: true, note: 'set before the store units first start, as Ceph reads it only then' },
		{ key: 'router/enforceHTTPS', status: 'same', secret: false, shown: 'true', choosable: false, chosen: false, early: false },
		{ key: 'controller/secretKey', status: 'never', secret: false, shown: '', choosable: false, chosen: false, early: false, note: 'generated: random per cluster, generated at first boot', count: 2 },
	],
};

describe('SettingsPicker', () => {
	it('shows every status with its reason, secrets masked, and the release change', async () => {
		const app = render(<SettingsPicker plan={PLAN} onSubmit={() => {}} />);
		// Rows wrap at the terminal's width: compared with the white space folded.
		const frame = (await waitFor(app.lastFrame, 'Platform settings to apply')).replace(/\s+/g, ' ');
		assert.match(frame, /backup of v1\.12\.2 → restoring into v1\.13\.4, a migration upgrade/);
		assert.match(frame, /\[x\] new router\/sslKey •••••• \(secret, masked\)/);
		assert.match(frame, /\[x\] new controller\/registrationMode \(was controller\/registrationEnabled\) disabled/);
		assert.match(frame, /\[ \] different platform\/domain old\.example\.com \(new cluster: example\.com\) — the new cluster serves example\.com/);
		assert.match(frame, /store\/pgNum 128 — set before the store units first start/);
		assert.match(frame, /same, skipped: router\/enforceHTTPS/);
		assert.match(frame, /never copied: controller\/secretKey and 1 more — generated: random per cluster/);
	});

	it('unticking and ticking are what it hands back; untouched rows keep their defaults', async () => {
		const chosen: Array<Record<string, boolean>> = [];
		const app = render(<SettingsPicker plan={PLAN} onSubmit={(choice) => chosen.push(choice)} />);
		await waitFor(app.lastFrame, '❯ [x] new');
		await press(app.stdin, ' ');
		await waitFor(app.lastFrame, '❯ [ ] new');
		await press(app.stdin, keys.down, keys.down, ' ');
		await waitFor(app.lastFrame, '❯ [x] different');
		await press(app.stdin, keys.enter);
		await until(() => chosen.length === 1, 'the choice');
		assert.deepEqual(chosen[0], { 'router/sslKey': false, 'platform/domain': true });
		await waitFor(app.lastFrame, '✔ Platform settings · 3 to apply');
	});
});

describe('Wizard with platform settings', () => {
	it('a restore asks about the settings before the last question, and the run gets the unticked ones', async () => {
		const fake = fakeServices({ settings: PLAN });
		const exits: WizardOutcome[] = [];
		const connection = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' };
		const app = render(<Wizard services={fake.services} initial={{ kind: 'restore', connection, folder: '/backups/one', skipVolume: false, force: false }} homeDir="/home/op" onExit={(s) => exits.push(s)} />);
		await waitFor(app.lastFrame, 'Connect with these settings?');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, '❯ [x] new       router/sslKey');
		await press(app.stdin, keys.down, ' ');
		await waitFor(app.lastFrame, '❯ [ ] new       controller/registrationMode');
		await press(app.stdin, keys.enter);
		const confirm = await waitFor(app.lastFrame, 'Continue? (type yes or no)');
		assert.match(confirm, /Platform settings · 2 to apply/);
		await answer(app.stdin, 'yes');
		await until(() => exits.length === 1, 'exit');
		assert.deepEqual(fake.calls.runs[0]?.settingsChoice, { 'controller/registrationMode': false });
	});

	it('a restore whose backup holds no settings goes straight to the last question', async () => {
		const fake = fakeServices();
		fake.services.settingsPreview = async () => undefined;
		const connection = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' };
		const app = render(<Wizard services={fake.services} initial={{ kind: 'restore', connection, folder: '/backups/one', skipVolume: false, force: false }} homeDir="/home/op" onExit={() => {}} />);
		await waitFor(app.lastFrame, 'Connect with these settings?');
		await press(app.stdin, keys.enter);
		const confirm = await waitFor(app.lastFrame, 'Continue? (type yes or no)');
		assert.ok(!confirm.includes('Platform settings'));
	});
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands, RESAVE_SCRIPT } from '../../source/cluster/commands.js';
import { quoteCommand } from '../../source/util/shell-quote.js';
import { parseShellWords } from '../../source/demo/shell-words.js';

describe('demo shell-words parser', () => {
	it('reads back every contract command exactly as the tool quotes it', () => {
		const all = [
			commands.configGet('store', 'gateway/accessKey'),
			commands.configSet('router', 'bodySize', '100m'),
			commands.list(),
			commands.install('platform'),
			commands.start('store-gateway@1'),
			commands.scale('store-gateway', 3),
			commands.hostAddresses(),
			commands.tarStore(),
			commands.untarStore(),
			commands.listStore(),
			commands.pgDumpAll(),
			commands.hasLoadDbState('127.0.0.1:4001'),
			commands.loadDbState('127.0.0.1:4001'),
			commands.resaveModels('127.0.0.1:4001'),
			commands.etcdList('/deis/domains'),
		];
		for (const argv of all) assert.deepEqual(parseShellWords(quoteCommand(argv)), { ok: true, argv: [...argv] });
	});

	it('keeps awkward arguments intact', () => {
		const argv = ['cmd', "it's", 'a b', '$HOME', '`x`', 'a;b', '', 'ünï', '"q"', 'back\\slash', 'new\nline', '*', '~', '#x', RESAVE_SCRIPT];
		assert.deepEqual(parseShellWords(quoteCommand(argv)), { ok: true, argv });
	});

	it('understands double quotes and backslashes like sh', () => {
		assert.deepEqual(parseShellWords('a "b c" d\\ e "x\\"y" "\\n" \'\\\''), { ok: true, argv: ['a', 'b c', 'd e', 'x"y', '\\n', '\\'] });
		assert.deepEqual(parseShellWords('a\\\nb'), { ok: true, argv: ['ab'] });
		assert.deepEqual(parseShellWords("'A=b' c"), { ok: true, argv: ['A=b', 'c'] });
	});

	it('refuses what a shell would interpret', () => {
		for (const bad of [
			'deisctl list; rm -rf /',
			'a | b',
			'a && b',
			'echo $HOME',
			'echo "$HOME"',
			'echo `id`',
			'cat > f',
			'cat < f',
			'ls *',
			'cd ~',
			'a # comment',
			'(a)',
			'a\nb',
			'ETCD=x manage.py',
			"'unterminated",
			'"unterminated',
			'',
			'   ',
		]) {
			const r = parseShellWords(bad);
			assert.equal(r.ok, false, `should refuse ${JSON.stringify(bad)}`);
		}
	});
});

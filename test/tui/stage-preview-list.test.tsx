import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { StagePreviewList } from '../../source/ui/components/stage-preview-list.js';

afterEach(() => cleanup());

describe('StagePreviewList', () => {
	it('numbers the stages and shows their commands under each', () => {
		const { lastFrame } = render(
			<StagePreviewList
				stages={[
					{ stage: 'keys', title: 'Read the gateway keys', commands: ['deisctl config store get gateway/accessKey', 'deisctl config store get gateway/secretKey'], optional: false },
					{ stage: 'database', title: 'Dump the database', commands: ['docker exec deis-database sudo -u postgres pg_dumpall > dump_all.sql'], optional: true },
				]}
			/>,
		);
		const frame = lastFrame() ?? '';
		assert.match(frame, /What will happen\n1\. Read the gateway keys\n +\$ deisctl config store get gateway\/accessKey\n +\$ deisctl config store get gateway\/secretKey\n2\. Dump the database \(optional\)\n +\$ docker exec deis-database/);
	});
});

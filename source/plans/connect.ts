/**
 * Reaching the cluster's host for a plan: SSH, with deisctl over it. A face
 * may start the connection before the plan's own modules have loaded, so
 * they load while SSH waits on the network; the plan's Connect step then
 * joins it, and only from that step on is the operator asked anything.
 */
import { Deisctl } from '../cluster/deisctl.js';
import { connectHost, type RemoteHost } from '../cluster/ssh.js';
import { loadS3Sdk } from '../cluster/s3-sdk.js';
import type { ConnectionSettings } from '../settings.js';
import type { PlanHooks } from './hooks.js';

export interface Connected {
	host: RemoteHost;
	deisctl: Deisctl;
}

/** A connection under way before its plan's Connect step. */
export interface Connecting {
	/**
	 * The Connect step: the notices held so far go to `warn`, and the
	 * connection is awaited (made again here, asking its question, if the
	 * attempt stopped at one). `sdk`: as for connect().
	 */
	join(warn: (message: string) => void, sdk?: boolean): Promise<Connected>;
	/** The run ended before its Connect step: the attempt stops, and what it opened is closed. */
	abandon(): void;
	/**
	 * Settles once the attempt waits on the network (or has ended): loading
	 * the plan before then would delay the connect itself, not overlap it.
	 */
	dialled: Promise<void>;
}

/**
 * Starts connecting now. An attempt that would have to ask the operator
 * something (a host key, a passphrase) or record a host key before join()
 * stops there instead, and join() connects again as connect() would: the
 * question is then asked in the Connect step, where the operator expects
 * it, and a run that ends earlier (a refused folder) has asked nothing and
 * changed nothing. Only a host whose key is known, with a key that needs no
 * passphrase, is connected ahead: the runs that scripts make.
 */
export function startConnect(connection: ConnectionSettings, hooks: PlanHooks): Connecting {
	const stop = new AbortController();
	let joined = false;
	// The attempt reached a question before join(): it has been stopped.
	let stopped = false;
	const hold: PromiseLike<void> = {
		then: (onOpen, onFail) => {
			if (joined) return Promise.resolve().then(onOpen, onFail);
			stopped = true;
			stop.abort();
			// Never settles: the attempt is torn down under it.
			return new Promise<void>(() => undefined).then(onOpen, onFail);
		},
	};
	const held: string[] = [];
	let warn: ((message: string) => void) | undefined;
	let dial!: () => void;
	const dialled = new Promise<void>((resolve) => {
		dial = resolve;
	});
	const host = connectHost(connection, {
		confirmHostKey: hooks.confirmHostKey,
		askPassphrase: hooks.askPassphrase,
		onNotice: (message) => (warn ? warn(message) : held.push(message)),
		hold,
		signal: stop.signal,
		onDial: dial,
	});
	host.then(dial, dial);
	return {
		dialled,
		async join(onNotice, sdk = false) {
			joined = true;
			// A stopped attempt's notices come again from the new one.
			if (stopped) return connect(connection, hooks, onNotice, sdk);
			warn = onNotice;
			for (const message of held) onNotice(message);
			return connected(await host, sdk);
		},
		abandon() {
			if (joined) return;
			stop.abort();
			void host.then((opened) => opened.close(), () => undefined);
		},
	};
}

/**
 * Connects; `warn` hears about keys used despite loose permissions or skipped.
 * `sdk`: the plan will need the S3 client (a restore with objects to upload in
 * parts), so it starts loading now. A backup never loads it.
 */
export async function connect(connection: ConnectionSettings, hooks: PlanHooks, warn?: (message: string) => void, sdk = false): Promise<Connected> {
	return connected(await connectHost(connection, { confirmHostKey: hooks.confirmHostKey, askPassphrase: hooks.askPassphrase, onNotice: warn }), sdk);
}

/** A plan's Connect step: the connection its face started (`connecting`), joined, or a new one. */
export function joinOrConnect(connecting: Connecting | undefined, connection: ConnectionSettings, hooks: PlanHooks, warn: (message: string) => void, sdk = false): Promise<Connected> {
	return connecting ? connecting.join(warn, sdk) : connect(connection, hooks, warn, sdk);
}

function connected(host: RemoteHost, sdk: boolean): Connected {
	// Loads while the gateway keys are read (remote commands, ~0.5 s of waiting); loading it during
	// the SSH handshake instead delayed the handshake. A failure shows where it is used.
	if (sdk) setImmediate(() => loadS3Sdk().catch(() => undefined));
	return { host, deisctl: new Deisctl(host) };
}

/** The same test Ink applies (is-in-ci): Ink stops redrawing frames there, so the CLI never opens the wizard. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
	const set = (name: string) => name in env && env[name] !== '0' && env[name] !== 'false';
	return set('CI') || set('CONTINUOUS_INTEGRATION');
}

// s3rver ships no types; child.ts narrows what it uses to its own interfaces.
declare module 's3rver' {
	const S3rver: unknown;
	export default S3rver;
}
declare module 's3rver/lib/models/account.js' {
	const account: unknown;
	export default account;
}

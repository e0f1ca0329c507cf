/**
 * One page of a ListObjects v1 answer, read by a parser made for it: the
 * listing of a 10,000-object bucket is ten pages of ~350 KB, and a general
 * XML parser (the S3 client's) spent most of a no-change re-sync on them.
 *
 * The document is S3's: elements without attributes, text escaped as XML
 * escapes it. Every `<` in it is markup (a key holding one comes as `&lt;`),
 * so searching for a tag cannot land inside a key.
 */

export interface ListedObject {
	key: string;
	size: number;
	/** Without its quotes. */
	etag?: string;
}

export interface ListPage {
	objects: ListedObject[];
	truncated: boolean;
	/** Only with a delimiter, by the S3 spec; radosgw may send it anyway. */
	nextMarker?: string;
}

/** The gateway answered 200 with something that is not a bucket listing (a proxy's page, a cut body). */
export class MalformedListing extends Error {
	constructor(reason: string) {
		super(`the gateway's bucket listing could not be read: ${reason}`);
		this.name = 'MalformedListing';
	}
}

export function parseListPage(xml: string): ListPage {
	const root = xml.indexOf('<ListBucketResult');
	// A document cut short mid-way must not pass for a shorter listing.
	if (root < 0 || xml.indexOf('</ListBucketResult>', root) < 0) throw new MalformedListing('no complete ListBucketResult');
	const objects: ListedObject[] = [];
	let head = xml.length;
	for (let at = xml.indexOf('<Contents>', root); at >= 0; ) {
		head = Math.min(head, at);
		const end = xml.indexOf('</Contents>', at);
		if (end < 0) throw new MalformedListing('an unclosed Contents element');
		const key = element(xml, 'Key', at, end);
		if (key === undefined) throw new MalformedListing('a Contents element without a Key');
		const size = element(xml, 'Size', at, end);
		const etag = element(xml, 'ETag', at, end);
		objects.push({ key: decode(key), size: size === undefined ? 0 : Number(size), etag: etag === undefined ? undefined : unquoteEtag(etag) });
		at = xml.indexOf('<Contents>', end);
	}
	const truncated = topLevel(xml, 'IsTruncated', root, head);
	if (truncated === undefined) throw new MalformedListing('no IsTruncated');
	const nextMarker = topLevel(xml, 'NextMarker', root, head);
	return { objects, truncated: truncated.trim() === 'true', nextMarker: nextMarker ? decode(nextMarker) : undefined };
}

/** The raw text of `<name>…</name>` between from and to; `<name/>` is the empty string. */
function element(xml: string, name: string, from: number, to: number): string | undefined {
	const open = `<${name}>`;
	const start = xml.indexOf(open, from);
	if (start < 0 || start >= to) {
		const empty = xml.indexOf(`<${name}/>`, from);
		return empty >= 0 && empty < to ? '' : undefined;
	}
	const end = xml.indexOf(`</${name}>`, start);
	if (end < 0 || end > to) return undefined;
	return xml.slice(start + open.length, end);
}

/** A child of ListBucketResult: looked for before the first Contents, then after the last. */
function topLevel(xml: string, name: string, root: number, head: number): string | undefined {
	const before = element(xml, name, root, head);
	if (before !== undefined) return before;
	const last = xml.lastIndexOf('</Contents>');
	return last < 0 ? undefined : element(xml, name, last, xml.length);
}

const QUOTE = '&quot;';

/** An ETag without its quotes. Gateways send `&quot;<hex>&quot;`: cut, not decoded, on a listing's every object. */
function unquoteEtag(raw: string): string {
	if (raw.length >= 2 * QUOTE.length && raw.startsWith(QUOTE) && raw.indexOf('&', QUOTE.length) === raw.length - QUOTE.length) return raw.slice(QUOTE.length, -QUOTE.length);
	return decode(raw).replaceAll('"', '');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five named entities and numeric character references. */
export function decode(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
		if (name[0] !== '#') return NAMED[name] ?? whole;
		const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
		return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
	});
}

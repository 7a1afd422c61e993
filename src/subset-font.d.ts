// subset-font ships no types; only the call and options we use.
declare module 'subset-font' {
	interface SubsetOptions {
		targetFormat?: 'truetype' | 'woff' | 'woff2' | 'sfnt';
		noHinting?: boolean;
		noLayoutClosure?: boolean;
		preserveNameIds?: number[];
		keepFeatures?: string[];
		dropTables?: string[];
	}
	export default function subsetFont(font: Buffer, text: string, options?: SubsetOptions): Promise<Buffer>;
}

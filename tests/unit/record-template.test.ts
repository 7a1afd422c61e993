import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RECORD_HINTS, templateUpdate } from '../../src/lib/shared/record-template';
import { recordFragment } from '../../src/lib/shared/record-schema';

describe('the record template', () => {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, templateUpdate());
	const blocks = recordFragment(doc)
		.toArray()
		.map((n) => n as Y.XmlElement)
		.map((el) => ({ name: el.nodeName, text: el.toArray().map((t) => (t as Y.XmlText).toString()).join('') }));

	it('holds no bracketed hint a mediator would have to delete', () => {
		expect(blocks.filter((b) => /^（.*）$/.test(b.text))).toEqual([]);
	});

	it('leaves an empty paragraph under each section that has a hint, where the placeholder shows', () => {
		for (const heading of Object.keys(RECORD_HINTS)) {
			const at = blocks.findIndex((b) => b.name === 'heading' && b.text === heading);
			expect(at, heading).toBeGreaterThan(-1);
			expect(blocks[at + 1], heading).toEqual({ name: 'paragraph', text: '' });
		}
	});
});

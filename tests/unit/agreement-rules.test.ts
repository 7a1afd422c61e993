import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { freezeProblem, mediatorMaySign, parseYuan, partiesStillToSign } from '../../src/lib/server/agreements/rules';
import { checkSignaturePng, decodePngDataUrl, MAX_SIGNATURE_BYTES } from '../../src/lib/server/agreements/signature-image';
import { AppError } from '../../src/lib/server/errors';

function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number, number]): Uint8Array {
	const img = new PNG({ width, height });
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.data.set(paint(x, y), (y * width + x) * 4);
	return new Uint8Array(PNG.sync.write(img));
}
const fieldOf = (run: () => unknown) => {
	try {
		run();
		return 'ok';
	} catch (err) {
		return err instanceof AppError ? err.fields.signature : String(err);
	}
};

describe('amounts', () => {
	it('reads yuan into whole fen, or names what is wrong', () => {
		expect(parseYuan('')).toBeNull();
		expect(parseYuan('0')).toBe(0);
		expect(parseYuan('1200.5')).toBe(120050);
		expect(parseYuan('1,200.50元')).toBe(120050);
		expect(parseYuan('１２００')).toBe(120000);
		expect(parseYuan('-0.01')).toBe('err_ag_amount_negative');
		expect(parseYuan('1.005')).toBe('err_ag_amount_invalid');
		expect(parseYuan('1e5')).toBe('err_ag_amount_invalid');
		expect(parseYuan('100000001')).toBe('err_ag_amount_too_large');
	});
});

describe('freezing and signing order', () => {
	const draft = { facts: '事实', terms: [{ what: '赔偿', dueOn: '2026-03-10' }], otherTerms: '', today: '2026-03-10' };
	it('needs facts and a term, none due before today', () => {
		expect(freezeProblem(draft)).toBeNull();
		expect(freezeProblem({ ...draft, facts: ' ' })).toEqual({ message: 'err_ag_facts_required' });
		expect(freezeProblem({ ...draft, terms: [] })).toEqual({ message: 'err_ag_terms_required' });
		expect(freezeProblem({ ...draft, terms: [], otherTerms: '互不追究' })).toBeNull();
		expect(freezeProblem({ ...draft, today: '2026-03-11' })).toEqual({ message: 'err_ag_due_before_effective', term: 1 });
	});

	it('lets the mediator sign only after every party signed and nobody refused', () => {
		const partyIds = [1, 2];
		const signed = (partyId: number, refused = false) => ({ role: 'party' as const, partyId, refused });
		expect(mediatorMaySign({ partyIds, signatures: [signed(1)] })).toBe(false);
		expect(partiesStillToSign({ partyIds, signatures: [signed(1)] })).toEqual([2]);
		expect(mediatorMaySign({ partyIds, signatures: [signed(1), signed(2, true)] })).toBe(false);
		expect(mediatorMaySign({ partyIds, signatures: [signed(1), signed(2)] })).toBe(true);
		expect(mediatorMaySign({ partyIds, signatures: [signed(1), signed(2), { role: 'mediator', partyId: null, refused: false }] })).toBe(false);
	});
});

describe('signature images', () => {
	it('accepts a PNG with ink, and refuses blank (transparent or white), broken, foreign or oversized ones', () => {
		const stroke = png(200, 80, (x, y) => (Math.abs(y - x / 2.5) < 3 ? [0, 0, 0, 255] : [0, 0, 0, 0]));
		expect(fieldOf(() => checkSignaturePng(stroke))).toBe('ok');
		expect(fieldOf(() => checkSignaturePng(png(200, 80, () => [0, 0, 0, 0])))).toBe('err_sig_blank');
		expect(fieldOf(() => checkSignaturePng(png(200, 80, () => [255, 255, 255, 255])))).toBe('err_sig_blank');
		// A few stray dots are not a signature either.
		expect(fieldOf(() => checkSignaturePng(png(200, 80, (x, y) => (x < 3 && y < 3 ? [0, 0, 0, 255] : [0, 0, 0, 0]))))).toBe('err_sig_blank');
		expect(fieldOf(() => checkSignaturePng(stroke.slice(0, 60)))).toBe('err_sig_not_png');
		expect(fieldOf(() => checkSignaturePng(new TextEncoder().encode('GIF89a')))).toBe('err_sig_not_png');
		expect(fieldOf(() => checkSignaturePng(new Uint8Array(MAX_SIGNATURE_BYTES + 1)))).toBe('err_sig_too_large');
		expect(fieldOf(() => checkSignaturePng(null))).toBe('err_sig_missing');
		expect(decodePngDataUrl('data:image/jpeg;base64,AAAA')).toBeNull();
		expect(decodePngDataUrl(`data:image/png;base64,${Buffer.from(stroke).toString('base64')}`)).toEqual(stroke);
	});
});

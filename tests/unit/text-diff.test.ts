import { describe, expect, it } from 'vitest';
import { diffBlocks, diffText, words, type DiffPart, type TextDiff } from '../../src/lib/server/diffs/text-diff';

const ops = (d: TextDiff) => d.blocks.map((b) => [b.change, b.parts.map((p) => `${p.op}:${p.text}`).join('|')]);
/** Every part's text must be whole characters: no lone surrogate anywhere. */
const wellFormed = (parts: DiffPart[]) => parts.every((p) => p.text.isWellFormed());
const oldSide = (d: TextDiff) => d.blocks.filter((b) => b.change !== 'added').map((b) => b.parts.filter((p) => p.op !== 'ins').map((p) => p.text).join(''));
const newSide = (d: TextDiff) => d.blocks.filter((b) => b.change !== 'removed').map((b) => b.parts.filter((p) => p.op !== 'del').map((p) => p.text).join(''));

describe('diffText', () => {
	it('finds nothing between equal texts', () => {
		const d = diffText('甲方赔偿五千元。\n乙方撤回投诉。\n', '甲方赔偿五千元。\n乙方撤回投诉。\n');
		expect(d.insertions).toBe(0);
		expect(d.deletions).toBe(0);
		expect(d.blocks.every((b) => b.change === 'same')).toBe(true);
	});

	it('marks an insertion inside a paragraph as inserted words, the rest unchanged', () => {
		const d = diffText('甲方赔偿乙方五千元。', '甲方于本月底前赔偿乙方五千元。');
		expect(d.blocks).toHaveLength(1);
		expect(d.blocks[0].change).toBe('changed');
		expect(d.blocks[0].parts.filter((p) => p.op === 'ins').map((p) => p.text).join('')).toBe('于本月底前');
		expect(d.blocks[0].parts.some((p) => p.op === 'del')).toBe(false);
		expect(d.insertions).toBe(1);
		expect(d.deletions).toBe(0);
	});

	it('marks a replaced amount as a deletion and an insertion', () => {
		const d = diffText('甲方赔偿乙方五千元，于三月底前付清。', '甲方赔偿乙方六千元，于三月底前付清。');
		const parts = d.blocks[0].parts;
		// Word by word, then the replaced word character by character: only the digit changed.
		expect(parts).toEqual([
			{ op: 'same', text: '甲方赔偿乙方' },
			{ op: 'del', text: '五' },
			{ op: 'ins', text: '六' },
			{ op: 'same', text: '千元，于三月底前付清。' }
		]);
		expect(d.deletions).toBe(1);
		expect(d.insertions).toBe(1);
	});

	it('splits a word only when the old and new words share enough characters', () => {
		const inside = diffText('围墙越界。', '围约半米墙越界。').blocks[0].parts;
		expect(inside).toEqual([
			{ op: 'same', text: '围' },
			{ op: 'ins', text: '约半米' },
			{ op: 'same', text: '墙越界。' }
		]);
		const unrelated = diffText('由甲方承担。', '由物业公司承担。').blocks[0].parts;
		expect(unrelated.filter((p) => p.op !== 'same').map((p) => p.op)).toEqual(['del', 'ins']);
		expect(unrelated.find((p) => p.op === 'del')!.text).toBe('甲方');
	});

	it('shows added and removed paragraphs whole', () => {
		const d = diffText('第一段。\n第二段。\n第三段。', '第一段。\n第三段。\n新加的第四段。');
		expect(ops(d)).toEqual([
			['same', 'same:第一段。'],
			['removed', 'del:第二段。'],
			['same', 'same:第三段。'],
			['added', 'ins:新加的第四段。']
		]);
	});

	it('gives back both texts exactly from its parts', () => {
		const before = '申请人：王𠮷祥\n事实：邻里因排水沟发生纠纷。\n条款：甲方修好水沟。';
		const after = '申请人：王𠮷祥\n事实：邻里因排水沟和围墙发生纠纷。\n条款：甲方于五月前修好水沟，乙方拆除围墙。\n其他：无。';
		const d = diffText(before, after);
		expect(oldSide(d)).toEqual(before.split('\n'));
		expect(newSide(d)).toEqual(after.split('\n'));
	});

	it('never splits a character outside the BMP', () => {
		for (const [before, after] of [
			['𠮷', '𡈼'],
			['王𠮷', '王䶮'],
			['𠮷𠮷𠮷', '𠮷𡈼𠮷'],
			['当事人𠮷某同意', '当事人𠮷某不同意'],
			['👨‍👩‍👧调解', '👨‍👩‍👦调解']
		]) {
			const d = diffText(before, after);
			for (const b of d.blocks) expect(wellFormed(b.parts), `${before} → ${after}`).toBe(true);
			expect(newSide(d)).toEqual([after]);
			expect(oldSide(d)).toEqual([before]);
		}
		expect(words('𠮷𡈼䶮').join('')).toBe('𠮷𡈼䶮');
		expect(words('王𠮷祥').every((w) => w.isWellFormed())).toBe(true);
	});

	it('compares an empty text with a full one', () => {
		expect(ops(diffText('', '新的一段'))).toEqual([['added', 'ins:新的一段']]);
		expect(ops(diffText('旧的一段', ''))).toEqual([['removed', 'del:旧的一段']]);
		expect(diffText('', '').blocks).toEqual([]);
	});
});

describe('diffBlocks', () => {
	it('keeps headings and list items as they are', () => {
		const d = diffBlocks(
			[
				{ kind: 'heading', level: 2, text: '调解笔录' },
				{ kind: 'item', text: '申请人陈述' }
			],
			[
				{ kind: 'heading', level: 2, text: '调解笔录' },
				{ kind: 'item', text: '申请人陈述：要求赔偿' }
			]
		);
		expect(d.blocks[0]).toEqual({ kind: 'heading', level: 2, change: 'same', parts: [{ op: 'same', text: '调解笔录' }] });
		expect(d.blocks[1].kind).toBe('item');
		expect(d.blocks[1].change).toBe('changed');
		expect(d.blocks[1].parts.at(-1)).toEqual({ op: 'ins', text: '：要求赔偿' });
	});
});

describe('limits', () => {
	const long = (seed: number, n: number) => {
		let x = seed;
		let s = '';
		const pool = '甲乙丙丁调解协议赔偿当事人水沟围墙邻里纠纷事实理由同意𠮷䶮𡈼，。';
		const chars = Array.from(pool);
		for (let i = 0; i < n; i++) {
			x = (x * 1103515245 + 12345) % 2 ** 31;
			s += chars[x % chars.length];
		}
		return s;
	};

	it('gives up word by word past the edit limit and shows the paragraph whole, still exact', () => {
		const before = long(1, 5000);
		const after = long(2, 5000);
		const d = diffText(before, after, { maxWordEdits: 50 });
		expect(d.coarse).toBe(true);
		expect(ops(d)).toEqual([['changed', `del:${before}|ins:${after}`]]);
	});

	it('stops within its time budget on long, very different texts', () => {
		const before = Array.from({ length: 400 }, (_, i) => long(i + 1, 250)).join('\n');
		const after = Array.from({ length: 400 }, (_, i) => long(i + 1000, 250)).join('\n');
		const started = performance.now();
		const d = diffText(before, after, { budgetMs: 300 });
		const took = performance.now() - started;
		// Generous bound for a shared 2-core machine; unbounded, this takes tens of seconds.
		expect(took).toBeLessThan(5000);
		expect(oldSide(d).join('\n')).toBe(before);
		expect(newSide(d).join('\n')).toBe(after);
		// The output is never larger than the two inputs together.
		const size = d.blocks.reduce((n, b) => n + b.parts.reduce((m, p) => m + p.text.length, 0), 0);
		expect(size).toBeLessThanOrEqual(before.length + after.length);
	});

	it('after the deadline, compares no more paragraphs word by word', () => {
		let t = 0;
		// A clock that moves 10 ms each time it is read: the budget of 25 ms runs out after the first paragraph.
		const now = () => (t += 10);
		const d = diffText('甲方同意。\n乙方同意。\n丙方同意。', '甲方不同意。\n乙方不同意。\n丙方不同意。', { budgetMs: 25, now });
		expect(d.blocks[0].parts.some((p) => p.op === 'same')).toBe(true);
		expect(d.blocks[2].parts).toEqual([
			{ op: 'del', text: '丙方同意。' },
			{ op: 'ins', text: '丙方不同意。' }
		]);
		expect(d.coarse).toBe(true);
	});
});

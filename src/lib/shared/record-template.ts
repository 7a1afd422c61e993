import * as Y from 'yjs';
import { RECORD_META, recordFragment } from './record-schema';

/**
 * The 调解笔录 template a new record starts from (shared/domain.md: time, place and participants;
 * the rights notice; each party's statement; facts; the panel's opinions; proposal; result;
 * signatures). Always in Chinese: the record is a legal document, whatever the editor's UI language.
 *
 * The template is written by a fixed Yjs client id, so every editor that inserts it produces the very
 * same items (same ids, same content). If two editors open an empty record at the same moment and
 * both insert it, Yjs sees one insertion twice and keeps one copy. Bump TEMPLATE_VERSION whenever the
 * text below changes: same ids with different content must never meet.
 */
// Version 2: the bracketed hints under each heading became empty paragraphs shown with a placeholder.
const TEMPLATE_VERSION = 2;
export const TEMPLATE_CLIENT_ID = 0x5e1a0000 + TEMPLATE_VERSION;

type Block = [tag: 'h2' | 'h3' | 'p', text: string];

// 人民调解法 art. 23 (the parties' rights) and art. 24 (their duties) are read to the parties.
const RIGHTS_NOTICE =
	'调解员告知：人民调解遵循自愿、平等的原则。当事人有权选择或者接受调解员；有权接受调解、拒绝调解或者要求终止调解；' +
	'有权要求调解公开进行或者不公开进行；有权自主表达意愿、自愿达成调解协议（《人民调解法》第二十三条）。' +
	'当事人应当如实陈述纠纷事实，遵守调解现场秩序，尊重调解员，尊重对方当事人行使权利（《人民调解法》第二十四条）。';

/**
 * What to write under each section, shown as a placeholder in the empty paragraph after its heading
 * (section-hints.ts): a hint is not text a mediator has to delete, and it never
 * reaches a saved version or a print. Records started from version 1 keep their bracketed text.
 */
export const RECORD_HINTS: Readonly<Record<string, string>> = {
	申请人陈述: '申请人的请求、事实和理由',
	被申请人陈述: '被申请人的意见、事实和理由',
	查明的事实: '经核实的事实和证据',
	评理团意见: '各评理员的意见和理由',
	调解方案: '调解员提出的方案',
	调解结果: '达成的协议内容、履行方式和期限；或未达成协议的原因及告知的其他解决途径'
};

const BLOCKS: Block[] = [
	['h2', '调解笔录'],
	['p', '时间：    年  月  日  时  分'],
	['p', '地点：'],
	['p', '参加人员：调解员        评理员        申请人        被申请人        记录人'],
	['h3', '权利义务告知'],
	['p', RIGHTS_NOTICE],
	['p', '当事人是否听清、是否申请回避：'],
	['h3', '申请人陈述'],
	['p', ''],
	['h3', '被申请人陈述'],
	['p', ''],
	['h3', '查明的事实'],
	['p', ''],
	['h3', '评理团意见'],
	['p', ''],
	['h3', '调解方案'],
	['p', ''],
	['h3', '调解结果'],
	['p', ''],
	['h3', '签名'],
	['p', '申请人：                被申请人：'],
	['p', '调解员：                记录人：']
];

function element([tag, text]: Block): Y.XmlElement {
	const el = new Y.XmlElement(tag === 'p' ? 'paragraph' : 'heading');
	// Tiptap's heading node keeps its level as a number (Yjs' typings assume string attributes).
	if (tag !== 'p') (el as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', tag === 'h2' ? 2 : 3);
	if (text) el.insert(0, [new Y.XmlText(text)]);
	return el;
}

/** The template as one Yjs update, byte for byte the same in every browser. */
export function templateUpdate(): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = TEMPLATE_CLIENT_ID;
	doc.transact(() => {
		doc.getMap(RECORD_META).set('initialised', true);
		recordFragment(doc).insert(0, BLOCKS.map(element));
	});
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/** Whether a record holds nothing but empty paragraphs (what an editor shows for an empty document). */
export function isBlank(fragment: Y.XmlFragment): boolean {
	return fragment.toArray().every((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph' && n.length === 0);
}

/**
 * Inserts the template into a record that was never initialised and is still blank; call it once the
 * provider has synced with the server, so an existing record is never mistaken for a new one.
 * Returns whether it inserted.
 */
export function ensureTemplate(doc: Y.Doc, origin: unknown = 'template'): boolean {
	const fragment = recordFragment(doc);
	if (doc.getMap(RECORD_META).get('initialised') || !isBlank(fragment)) return false;
	doc.transact(() => {
		// An editor may have rendered an empty paragraph into the fragment; it goes with the blank.
		if (fragment.length > 0) fragment.delete(0, fragment.length);
		Y.applyUpdate(doc, templateUpdate(), origin);
	}, origin);
	return true;
}

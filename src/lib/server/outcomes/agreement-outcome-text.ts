import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { agreements } from '../db/schema';
import { CONTENT_MAX } from './rules';

/**
 * What the parties agreed, as the outcome's 协议内容: the terms and other agreements of the signed
 * text (sections 五 and 六), word for word, so the mediator does not retype what the parties signed.
 * Pure; the whole text when the sections are not found.
 */
export function outcomeTextFromAgreement(frozenText: string): string {
	const start = frozenText.indexOf('五、协议条款');
	const end = frozenText.indexOf('本协议经各方当事人签名');
	const part = frozenText.slice(start < 0 ? 0 : start, end > start ? end : undefined).trim();
	return [...part].slice(0, CONTENT_MAX).join('');
}

/** The case's agreement in force as outcome content, or null when none has taken effect. */
export async function agreementOutcomeText(db: Db, caseId: number): Promise<string | null> {
	const [row] = await db
		.select({ text: agreements.frozenText })
		.from(agreements)
		.where(and(eq(agreements.caseId, caseId), eq(agreements.status, 'effective')));
	return row?.text ? outcomeTextFromAgreement(row.text) : null;
}

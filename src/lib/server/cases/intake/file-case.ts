import { and, eq } from 'drizzle-orm';
import type { RoleName, Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db, Tx } from '../../db';
import { caseCategories, caseEvents, caseParties, cases, places } from '../../db/schema';
import { AppError } from '../../errors';
import { parseInput } from '../../validation';
import { levelIds } from '../../places/rules';
import { caseVisibility } from '../scope';
import { shanghaiDate } from '../shanghai-date';
import { insertAttachmentRows } from '../work/add-attachments';
import { checkAttachments, type IncomingFile } from '../work/attachment-rules';
import { storeThenCommit } from '../work/attachment-store';
import { storedDueDates } from '../work/stored-due-dates';
import { partyNamesText } from '../list/text-search';
import { generateQueryCode, hashQueryCode, nextCaseNumber } from './case-number';
import { fileCaseInput, type Channel } from './rules';

/** Roles that may enter matters; agents and grid workers file for residents. */
export const FILING_ROLES: RoleName[] = ['supervisor', 'mediator', 'legal_advisor', 'legal_villager', 'agent', 'grid_worker'];

export interface FiledCase {
	id: number;
	number: string;
	/** Shown once to the person who raised the matter; only its hash is kept. */
	queryCode: string;
}

export interface FileCaseOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Files attached at filing, checked together with the fields. */
	files?: readonly IncomingFile[];
}

/**
 * Registers a matter (受理登记). `actor: null` is a resident filing online without an account: the
 * channel is then always `online`. An agent's filings are always channel `agent` and a grid
 * worker's `grid_report`, so the case shows who filed for whom. The origin place must be a
 * township or village inside the actor's area. Attachments are checked by content and written to
 * disk first; then one transaction writes the case with its statutory due dates, its parties and
 * attachment rows, the first timeline entry and the audit row. If it fails, the files are removed.
 */
export async function fileCase(
	db: Db,
	actor: Viewer | null,
	raw: unknown, options: FileCaseOptions = {}
): Promise<FiledCase> {
	const { ip, now = new Date(), files = [] } = options;
	if (actor && !actor.roles.some((r) => FILING_ROLES.includes(r.role))) throw new AppError('forbidden');
	// Fields and files are checked together, so one refusal names every problem.
	const [input, checked] = bothValid(
		() => parseInput(fileCaseInput, raw),
		() => checkAttachments(files)
	);
	const channel = channelFor(actor, input.channel);
	if (input.receivedAt && input.receivedAt.getTime() > now.getTime()) throw new AppError('invalid', { receivedAt: 'err_date_in_future' });
	// A matter received today is registered now; one received earlier (a letter entered the next day),
	// at the start of that day, so the statutory clocks run from when it really arrived.
	const registeredAt = input.receivedAt && shanghaiDate(input.receivedAt) !== shanghaiDate(now) ? input.receivedAt : now;
	const queryCode = generateQueryCode();

	return storeThenCommit(checked, (stored) => db.transaction(async (tx) => {
		const [place] = await tx.select({ id: places.id, kind: places.kind, path: places.path }).from(places).where(eq(places.id, input.placeId)).limit(1);
		if (!place || (place.kind !== 'township' && place.kind !== 'village') || (actor && !place.path.startsWith(actor.place.path))) {
			throw new AppError('invalid', { placeId: 'err_place_not_found' });
		}
		const [category] = await tx
			.select({ id: caseCategories.id })
			.from(caseCategories)
			.where(and(eq(caseCategories.id, input.categoryId), eq(caseCategories.active, true)))
			.limit(1);
		if (!category) throw new AppError('invalid', { categoryId: 'err_category_invalid' });

		let repeatOfId: number | null = null;
		if (input.repeatOfNumber) {
			// Staff link only to matters they may see; an unseen number is "not found", not a leak.
			const [earlier] = actor
				? await tx.select({ id: cases.id }).from(cases).where(and(eq(cases.number, input.repeatOfNumber), caseVisibility(actor))).limit(1)
				: [];
			if (actor && !earlier) throw new AppError('invalid', { repeatOfNumber: 'err_repeat_not_found' });
			repeatOfId = earlier?.id ?? null;
		}

		const origin = levelIds(place);
		const number = await nextCaseNumber(tx, registeredAt);
		const [row] = await tx
			.insert(cases)
			.values({
				number,
				queryCodeHash: hashQueryCode(queryCode),
				channel,
				categoryId: category.id,
				title: input.title,
				description: input.description,
				partyNames: partyNamesText(input.parties),
				status: 'registered',
				provinceId: origin.province ?? null,
				cityId: origin.city ?? null,
				countyId: origin.county!,
				townshipId: origin.township ?? null,
				villageId: origin.village ?? null,
				placeId: place.id,
				placePath: place.path,
				filedById: actor?.id ?? null,
				repeatOfId,
				isRepeat: input.repeatOfNumber != null,
				registeredAt,
				lastActivityAt: now,
				...storedDueDates({
					status: 'registered',
					registeredAt,
					acceptedAt: null,
					notAcceptedAt: null,
					routedAt: null,
					concludedAt: null,
					reviewStage: 'none',
					reviewRequestedAt: null,
					reviewAnsweredAt: null,
					reReviewRequestedAt: null,
					extension: null
				})
			})
			.returning({ id: cases.id });
		await tx.insert(caseParties).values(
			input.parties.map((p, i) => ({
				caseId: row.id,
				side: p.side,
				kind: p.kind,
				name: p.name,
				phone: p.phone,
				idNumber: p.idNumber,
				address: p.address,
				sortOrder: i
			}))
		);
		await insertAttachmentRows(tx, row.id, actor?.id ?? null, stored);
		await tx.insert(caseEvents).values({
			caseId: row.id,
			at: now,
			actorId: actor?.id ?? null,
			kind: 'filed',
			toStatus: 'registered',
			data: { channel },
			public: true
		});
		await recordAudit(tx, {
			action: 'case.file',
			actorId: actor?.id ?? null,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { number, channel, placeId: place.id, parties: input.parties.length, attachments: stored.length }
		});
		return { id: row.id, number, queryCode };
	}));
}

/**
 * The channel a filer records: forced for residents, agents and grid workers, chosen by other staff —
 * who may not pass a matter off as an agent's filing or a grid report, since those name who filed.
 */
export function channelFor(actor: Viewer | null, requested: Channel): Channel {
	if (!actor) return 'online';
	const roles = actor.roles.map((r) => r.role);
	if (roles.includes('agent')) return 'agent';
	if (roles.includes('grid_worker')) return 'grid_report';
	if (requested === 'agent' || requested === 'grid_report') throw new AppError('invalid', { channel: 'err_channel_invalid' });
	return requested;
}

/** Runs both checks; if either refuses, one `invalid` error with the fields of both. */
function bothValid<A, B>(a: () => A, b: () => B): [A, B] {
	const fields: Record<string, string> = {};
	const run = <T>(check: () => T): T | undefined => {
		try {
			return check();
		} catch (err) {
			if (!(err instanceof AppError && err.code === 'invalid')) throw err;
			Object.assign(fields, err.fields);
			return undefined;
		}
	};
	const [x, y] = [run(a), run(b)];
	if (Object.keys(fields).length > 0) throw new AppError('invalid', fields);
	return [x as A, y as B];
}

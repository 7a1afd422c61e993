import { eq } from 'drizzle-orm';
import { caseCategories, cases } from '../../src/lib/server/db/schema';
import type { Casework } from './casework-fixtures';

export interface FixedMatter {
	place: string;
	category: string;
	channel: typeof cases.$inferInsert.channel;
	/** Beijing time, e.g. '2024-03-01T10:00:00'. */
	registered: string;
	status?: typeof cases.$inferInsert.status;
	repeat?: boolean;
	escalated?: boolean;
	accepted?: string;
	concluded?: string;
	concludeDue?: string;
	rating?: [number, string];
	filedBy?: string;
	title?: string;
	description?: string;
}

const at = (local: string) => new Date(`${local}+08:00`);

/**
 * Writes matters straight into the table with exactly the dates and flags a statistics test counts on
 * (the intake use case would stamp them with today). Origin areas come from the place's path.
 */
export function matterAdder(w: Casework) {
	let seq = 0;
	return async (m: FixedMatter): Promise<number> => {
		const [category] = await w.t.db.select({ id: caseCategories.id }).from(caseCategories).where(eq(caseCategories.code, m.category));
		const path = w.placePaths[m.place];
		const [countyId, townshipId, villageId] = path.split('/').filter(Boolean).map(Number);
		const placeId = w.placeIds[m.place];
		seq += 1;
		const [row] = await w.t.db
			.insert(cases)
			.values({
				number: `2020-9${String(seq).padStart(5, '0')}`,
				queryCodeHash: 'x'.repeat(64),
				channel: m.channel,
				categoryId: category.id,
				title: m.title ?? `测试事项${seq}`,
				description: m.description ?? '用于统计的固定事项。',
				status: m.status ?? 'registered',
				countyId,
				townshipId: townshipId ?? null,
				villageId: villageId ?? null,
				placeId,
				placePath: path,
				filedById: m.filedBy ? w.viewers[m.filedBy].id : null,
				isRepeat: m.repeat ?? false,
				escalatedBeyondCounty: m.escalated ?? false,
				registeredAt: at(m.registered),
				acceptedAt: m.accepted ? at(m.accepted) : null,
				concludedAt: m.concluded ? at(m.concluded) : null,
				concludeDueOn: m.concludeDue ?? null,
				lastActivityAt: at(m.registered),
				publicRating: m.rating?.[0] ?? null,
				publicRatedAt: m.rating ? at(m.rating[1]) : null
			})
			.returning({ id: cases.id });
		return row.id;
	};
}

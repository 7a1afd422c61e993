import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { caseCategories, places } from '../db/schema';

export interface FilingOptions {
	categories: { id: number; nameZh: string; nameEn: string }[];
	/** Townships in name order, each with its villages: one select with a group per township. */
	townships: { id: number; name: string; villages: { id: number; name: string }[] }[];
}

/** What the public filing form offers: active categories and every township's villages. */
export async function listFilingOptions(db: Db): Promise<FilingOptions> {
	const [categories, rows] = await Promise.all([
		db
			.select({ id: caseCategories.id, nameZh: caseCategories.nameZh, nameEn: caseCategories.nameEn })
			.from(caseCategories)
			.where(eq(caseCategories.active, true))
			.orderBy(asc(caseCategories.sortOrder), asc(caseCategories.id)),
		db
			.select({ id: places.id, kind: places.kind, name: places.name, parentId: places.parentId })
			.from(places)
			.where(inArray(places.kind, ['township', 'village']))
	]);
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'zh-CN');
	const townships = rows
		.filter((r) => r.kind === 'township')
		.sort(byName)
		.map((t) => ({
			id: t.id,
			name: t.name,
			villages: rows
				.filter((v) => v.kind === 'village' && v.parentId === t.id)
				.sort(byName)
				.map((v) => ({ id: v.id, name: v.name }))
		}));
	return { categories, townships };
}

import { desc, eq, like } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { caseCategories, departments, matterClusters, places } from '../db/schema';
import { AppError } from '../errors';
import { mayViewStats } from './rules';

/** How many confirmed clusters the clusters page lists, newest first. */
const LISTED = 50;

/**
 * The recurring matters already confirmed (and handed to a department) in the viewer's area, newest
 * first: what the clusters page shows under the new candidates.
 */
export async function listConfirmedClusters(db: Db, viewer: Viewer) {
	if (!mayViewStats(viewer)) throw new AppError('forbidden');
	return db
		.select({
			id: matterClusters.id,
			title: matterClusters.title,
			size: matterClusters.size,
			place: places.name,
			categoryZh: caseCategories.nameZh,
			categoryEn: caseCategories.nameEn,
			department: departments.name,
			confirmedAt: matterClusters.confirmedAt
		})
		.from(matterClusters)
		.innerJoin(places, eq(places.id, matterClusters.placeId))
		.innerJoin(caseCategories, eq(caseCategories.id, matterClusters.categoryId))
		.innerJoin(departments, eq(departments.id, matterClusters.departmentId))
		.where(like(matterClusters.placePath, `${viewer.place.path}%`))
		.orderBy(desc(matterClusters.confirmedAt))
		.limit(LISTED);
}

import { and, eq, isNull, like, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db, Tx } from '../db';
import { places, studioMembers, studios, userRoles, users } from '../db/schema';
import { AppError } from '../errors';
import { idOf } from '../people/scope';
import { countyIdOf } from '../places/list-departments';
import { freeText, formId, parseInput } from '../validation';
import { mayKeepStudios } from './rules';

const studioInput = z.object({
	name: freeText(60),
	placeId: formId,
	leadId: formId,
	method: freeText(500),
	intake: freeText(300)
});

/** A place of the administrator's county that a studio may sit at: the county or one of its townships. */
async function studioPlace(tx: Db | Tx, actor: Viewer, placeId: number): Promise<number> {
	const [place] = await tx
		.select({ id: places.id })
		.from(places)
		.where(and(eq(places.id, placeId), like(places.path, `${actor.place.path}%`), ne(places.kind, 'village')));
	if (!place) throw new AppError('invalid', { placeId: 'sd_err_place' });
	return place.id;
}

/** An enabled mediator of the administrator's county (a studio's members mediate its matters). */
async function countyMediator(tx: Db | Tx, actor: Viewer, userId: number, field: string): Promise<number> {
	const [person] = await tx
		.select({ id: users.id })
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'mediator')))
		.where(and(eq(users.id, userId), isNull(users.disabledAt), like(places.path, `${actor.place.path}%`)))
		.limit(1);
	if (!person) throw new AppError('invalid', { [field]: 'sd_err_not_mediator' });
	return person.id;
}

export interface CreateStudioOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Sets up a studio; its lead becomes its first member. One transaction with its audit row. */
export async function createStudio(db: Db, actor: Viewer, raw: unknown, options: CreateStudioOptions = {}): Promise<{ id: number }> {
	const { ip } = options;
	if (!mayKeepStudios(actor)) throw new AppError('forbidden');
	const input = parseInput(studioInput, raw);
	return db.transaction(async (tx) => {
		const placeId = await studioPlace(tx, actor, input.placeId);
		const leadId = await countyMediator(tx, actor, input.leadId, 'leadId');
		const [row] = await tx
			.insert(studios)
			.values({ countyId: countyIdOf(actor), placeId, name: input.name, leadId, method: input.method, intake: input.intake, createdById: actor.id })
			.returning({ id: studios.id });
		await tx.insert(studioMembers).values({ studioId: row.id, userId: leadId });
		await recordAudit(tx, { action: 'studio.create', actorId: actor.id, subjectType: 'studio', subjectId: row.id, ip, data: { ...input, placeId, leadId } });
		return { id: row.id };
	});
}

/** The studio row, locked, within the administrator's county; another county's answers as missing. */
async function lockStudio(tx: Tx, actor: Viewer, rawId: unknown) {
	const [row] = await tx
		.select()
		.from(studios)
		.where(and(eq(studios.id, idOf(rawId)), eq(studios.countyId, countyIdOf(actor))))
		.for('update');
	if (!row) throw new AppError('not_found');
	return row;
}

export interface UpdateStudioOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Edits a studio's name, place, lead, method and intake; a new lead is made a member too. */
export async function updateStudio(db: Db, actor: Viewer, rawId: unknown, raw: unknown, options: UpdateStudioOptions = {}): Promise<void> {
	const { ip } = options;
	if (!mayKeepStudios(actor)) throw new AppError('forbidden');
	const input = parseInput(studioInput, raw);
	await db.transaction(async (tx) => {
		const studio = await lockStudio(tx, actor, rawId);
		const placeId = await studioPlace(tx, actor, input.placeId);
		const leadId = await countyMediator(tx, actor, input.leadId, 'leadId');
		await tx.update(studios).set({ name: input.name, placeId, leadId, method: input.method, intake: input.intake }).where(eq(studios.id, studio.id));
		await tx.insert(studioMembers).values({ studioId: studio.id, userId: leadId }).onConflictDoNothing();
		await recordAudit(tx, { action: 'studio.update', actorId: actor.id, subjectType: 'studio', subjectId: studio.id, ip, data: { ...input, placeId, leadId } });
	});
}

export interface AddStudioMemberOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Adds a county mediator to a studio; adding a member twice changes nothing and records nothing. */
export async function addStudioMember(db: Db, actor: Viewer, rawId: unknown, rawUserId: unknown, options: AddStudioMemberOptions = {}): Promise<void> {
	const { ip } = options;
	if (!mayKeepStudios(actor)) throw new AppError('forbidden');
	const { userId } = parseInput(z.object({ userId: formId }), { userId: rawUserId });
	await db.transaction(async (tx) => {
		const studio = await lockStudio(tx, actor, rawId);
		const member = await countyMediator(tx, actor, userId, 'userId');
		const added = await tx.insert(studioMembers).values({ studioId: studio.id, userId: member }).onConflictDoNothing().returning({ userId: studioMembers.userId });
		if (added.length) await recordAudit(tx, { action: 'studio.member_add', actorId: actor.id, subjectType: 'studio', subjectId: studio.id, ip, data: { userId: member } });
	});
}

export interface RemoveStudioMemberOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Takes a member off a studio; the lead stays (change the lead first). */
export async function removeStudioMember(db: Db, actor: Viewer, rawId: unknown, rawUserId: unknown, options: RemoveStudioMemberOptions = {}): Promise<void> {
	const { ip } = options;
	if (!mayKeepStudios(actor)) throw new AppError('forbidden');
	const userId = idOf(rawUserId);
	await db.transaction(async (tx) => {
		const studio = await lockStudio(tx, actor, rawId);
		if (studio.leadId === userId) throw new AppError('conflict', { _: 'sd_err_lead_stays' });
		const removed = await tx
			.delete(studioMembers)
			.where(and(eq(studioMembers.studioId, studio.id), eq(studioMembers.userId, userId)))
			.returning({ userId: studioMembers.userId });
		if (!removed.length) throw new AppError('not_found');
		await recordAudit(tx, { action: 'studio.member_remove', actorId: actor.id, subjectType: 'studio', subjectId: studio.id, ip, data: { userId } });
	});
}

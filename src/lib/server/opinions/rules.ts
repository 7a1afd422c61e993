import { z } from 'zod';
import { OPINION_POSITIONS, type ConflictDeclaration, type OpinionPosition } from '../../enums';
import { freeText } from '../validation';

/**
 * Pure rules of the panel's reasoned opinions (评理意见). Opinions are hidden from everyone but their
 * author until revealed, so that each panelist reasons independently instead of following the first
 * voice. The mediator too sees only who has submitted: any reading of the content before the end is
 * then the reveal itself, recorded and shown to everyone at once, never a private preview the mediator
 * could pass on to some panelists or use to steer the hearing.
 */

export { OPINION_POSITIONS, type OpinionPosition };

/** Reasons are required: an opinion is reasoned, not a vote. */
export const REASONS_MAX = 2000;

export const opinionInput = z.object({
	position: z.enum(OPINION_POSITIONS, { message: 'err_op_position_required' }),
	reasons: freeText(REASONS_MAX, 'err_op_reasons_required')
});
export type OpinionInput = z.input<typeof opinionInput>;

/** A panel member as the opinion rules need them. */
export interface Seat {
	memberId: number;
	userId: number;
	conflict: ConflictDeclaration;
	removedAt: Date | null;
}

/** Members expected to give an opinion: sitting and not recused (an undeclared one still owes one). */
export function expectedSeats<S extends Seat>(seats: readonly S[]): S[] {
	return seats.filter((s) => s.removedAt === null && s.conflict !== 'recused');
}

/** Only a sitting member who has declared no conflict of interest gives an opinion. */
export function mayGiveOpinion(seat: Seat | undefined): boolean {
	return seat !== undefined && seat.removedAt === null && seat.conflict === 'no_conflict';
}

/** Whether the last expected opinion is in, which reveals them all. */
export function allSubmitted(seats: readonly Seat[], submittedUserIds: ReadonlySet<number>): boolean {
	const expected = expectedSeats(seats);
	return expected.length > 0 && expected.every((s) => submittedUserIds.has(s.userId));
}

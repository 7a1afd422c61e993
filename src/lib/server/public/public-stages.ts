/** The plain stages a resident follows on the tracking page, in order. */
export const PUBLIC_STAGES = ['accepted', 'assigned', 'mediating', 'agreed', 'concluded'] as const;
export type PublicStage = (typeof PUBLIC_STAGES)[number];

export interface StageFacts {
	/** The case's public timeline rows, oldest first. */
	events: readonly { at: Date; kind: string }[];
	/** When its first mediation session started, if one has. */
	firstSessionStartedAt: Date | null;
	/** When its mediation agreement took effect, if it has. */
	agreementEffectiveAt: Date | null;
}

/**
 * When the matter reached each stage (null: not yet). Mediation counts from the `start_mediation`
 * step or from the first session that started, whichever came first: a mediator may hold the
 * first session without stepping the case to 在调解 (the state machine's `start_mediation` is the
 * assigned mediator's own step, and a session's start does not take it for them), yet for the
 * resident the matter is being mediated from that moment. The stages are read, not stored, so the
 * staff-side state and its clocks stay exactly as the casework rules set them.
 */
export function publicStages(facts: StageFacts): { stage: PublicStage; on: Date | null }[] {
	const first = (kind: string) => facts.events.find((e) => e.kind === kind)?.at ?? null;
	const earliest = (...dates: (Date | null)[]) =>
		dates.filter((d): d is Date => d !== null).reduce<Date | null>((a, d) => (a === null || d < a ? d : a), null);
	const on: Record<PublicStage, Date | null> = {
		accepted: first('accept'),
		assigned: first('assign'),
		mediating: earliest(first('start_mediation'), facts.firstSessionStartedAt),
		agreed: facts.agreementEffectiveAt,
		concluded: first('conclude')
	};
	return PUBLIC_STAGES.map((stage) => ({ stage, on: on[stage] }));
}

/** The furthest stage reached, or null while the matter waits to be accepted. */
export function currentStage(stages: readonly { stage: PublicStage; on: Date | null }[]): PublicStage | null {
	return stages.findLast((s) => s.on !== null)?.stage ?? null;
}

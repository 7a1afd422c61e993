import { z } from 'zod';

/**
 * One schema per audit event type. `recordAudit` validates on write and `readAudit` on read, so the
 * log never holds a shape nobody can interpret.
 */
export const auditEvents = {
	'auth.login': z.object({ method: z.enum(['password', 'phone_code']) }),
	'auth.login_failed': z.object({ login: z.string().max(64), reason: z.enum(['bad_credentials', 'disabled', 'rate_limited']) }),
	'auth.logout': z.object({}),
	'place.create': z.object({ name: z.string(), kind: z.string(), parentId: z.number().nullable() }),
	'place.update': z.object({ name: z.string(), previousName: z.string() }),
	'department.create': z.object({ name: z.string(), countyId: z.number() }),
	'department.update': z.object({ name: z.string(), previousName: z.string() }),
	'user.create': z.object({ name: z.string(), placeId: z.number(), roles: z.array(z.string()) }),
	'user.update': z.object({ changed: z.array(z.string()) }),
	'user.disable': z.object({}),
	'user.enable': z.object({}),
	'user.password_reset': z.object({}),
	// Panels (人民调解法 art. 20/23). The parties' consent is the legal basis of an invitation, so it is kept
	// here too, in the tamper-evident chain; other free text (reasons, notes) stays on the staff timeline.
	'panel.invite': z.object({ memberId: z.number(), userId: z.number(), memberType: z.string(), partiesConsent: z.string() }),
	'panel.declare': z.object({ memberId: z.number(), declaration: z.enum(['no_conflict', 'recused']) }),
	'panel.remove': z.object({ memberId: z.number(), userId: z.number() }),
	'panel.mediator_acceptance': z.object({ acceptanceId: z.number(), partyId: z.number(), mediatorId: z.number(), accepted: z.boolean() }),
	// Mediation sessions: the subject is the session; attendance rows are their own evidence of who joined.
	'session.schedule': z.object({ caseId: z.number(), seq: z.number(), scheduledAt: z.string(), remote: z.boolean(), openness: z.enum(['open', 'closed']) }),
	'session.start': z.object({ caseId: z.number(), seq: z.number() }),
	'session.end': z.object({ caseId: z.number(), seq: z.number() }),
	'session.cancel': z.object({ caseId: z.number(), seq: z.number() }),
	'session.attend': z.object({ attendanceId: z.number(), userId: z.number().nullable(), capacity: z.string(), remote: z.boolean() }),
	'case.file': z.object({ number: z.string(), channel: z.string(), placeId: z.number(), parties: z.number(), attachments: z.number().optional() }),
	'case.transition': z.object({
		transition: z.string(),
		from: z.string(),
		to: z.string(),
		actedAs: z.string(),
		details: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional()
	}),
	'case.personal_data_view': z.object({ partyId: z.number(), fields: z.array(z.enum(['phone', 'idNumber'])).min(1) }),
	'case.attachment_add': z.object({ attachmentIds: z.array(z.number()).min(1), sha256: z.array(z.string()) }),
	// Who took a copy of which evidence (the file's name may itself be personal, so only its id and hash).
	'case.attachment_download': z.object({ attachmentId: z.number(), sha256: z.string() }),
	'case.public_rate': z.object({ number: z.string(), rating: z.number().int().min(1).max(5), commented: z.boolean() }),
	// `npm run seed:bulk`: generated demonstration matters, recorded once per run (not one row per matter).
	'case.seed_bulk': z.object({ cases: z.number().int(), seed: z.number() }),
	// Supervision (督办): the subject is the case; the free text stays on the staff timeline, not here.
	'supervision.issue': z.object({ orderId: z.number(), ownerId: z.number(), dueOn: z.string() }),
	'supervision.answer': z.object({ orderId: z.number() }),
	'supervision.close': z.object({ orderId: z.number() }),
	// Panel opinions (评理意见): never their content or position here, which stays hidden until the reveal.
	'opinion.submit': z.object({ opinionId: z.number(), memberId: z.number(), revised: z.boolean() }),
	'opinion.reveal': z.object({ how: z.enum(['mediator', 'all_submitted']), opinions: z.number().int() }),
	// Outcomes (人民调解法 arts. 26–30, 信访工作条例 art. 32); the content stays on the case, the classes are reported.
	'outcome.record': z.object({
		outcomeId: z.number(),
		kind: z.string(),
		outcomeClass: z.string(),
		petitionDecision: z.string(),
		next: z.enum(['concluded', 'escalated']),
		routesTold: z.array(z.string())
	}),
	'outcome.response': z.object({ responseId: z.number(), outcomeId: z.number(), partyId: z.number(), accepted: z.boolean() }),
	// Agreement copies (PDF) and their public verification; the subject is the agreement.
	'document.pdf_generate': z.object({
		documentId: z.number(),
		partyId: z.number().nullable(),
		agreementHash: z.string(),
		pdfSha256: z.string(),
		sizeBytes: z.number().int()
	}),
	'document.verify': z.object({ method: z.enum(['code', 'file']), status: z.enum(['valid', 'altered', 'unknown']), documentId: z.number().nullable() }),
	// After the agreement (人民调解法 art. 31): performance of its terms and return visits (回访).
	'followup.performance': z.object({
		performanceId: z.number(),
		termId: z.number(),
		seq: z.number(),
		done: z.boolean(),
		doneOn: z.string().nullable()
	}),
	'followup.visit': z.object({ visitId: z.number(), partyId: z.number(), visitedOn: z.string(), method: z.string(), satisfaction: z.number().int().min(1).max(5) }),
	// Named versions of a collaborative record (document_versions); a restore is a new edit of the record.
	'record.version_create': z.object({ docName: z.string(), versionId: z.number(), name: z.string(), automatic: z.boolean() }),
	'record.version_restore': z.object({ docName: z.string(), versionId: z.number(), name: z.string(), updateBytes: z.number().int() }),
	// Mediation agreements (调解协议书, 人民调解法 art. 29; 电子签名法 art. 13). The subject is the agreement;
	// the hashes are kept here so the chain itself shows which text was frozen, signed or voided.
	'agreement.create': z.object({ caseId: z.number() }),
	'agreement.edit': z.object({ caseId: z.number(), part: z.enum(['text', 'term_add', 'term_update', 'term_remove']), termId: z.number().optional() }),
	'agreement.freeze': z.object({ caseId: z.number(), revision: z.number(), hash: z.string() }),
	'agreement.unfreeze': z.object({ caseId: z.number(), revision: z.number(), hash: z.string(), voidedSignatures: z.array(z.number()) }),
	'agreement.sign': z.object({
		caseId: z.number(),
		signatureId: z.number(),
		role: z.enum(['party', 'mediator']),
		partyId: z.number().nullable(),
		channel: z.enum(['account', 'invitation']),
		hash: z.string(),
		imageSha256: z.string()
	}),
	'agreement.refuse': z.object({ caseId: z.number(), signatureId: z.number(), partyId: z.number(), channel: z.enum(['account', 'invitation']), hash: z.string() }),
	'agreement.effective': z.object({ caseId: z.number(), hash: z.string(), effectiveOn: z.string(), sealSha256: z.string() }),
	'agreement.invite': z.object({ caseId: z.number(), invitationId: z.number(), partyId: z.number() }),
	'agreement.code_sent': z.object({ caseId: z.number(), invitationId: z.number(), partyId: z.number(), sender: z.string() }),
	'agreement.code_failed': z.object({ invitationId: z.number(), reason: z.enum(['wrong', 'expired', 'used', 'rate_limited']) }),
	// The development SMS outbox holds one-time codes: who read it, and which phone they filtered on.
	'sms.outbox_view': z.object({ phone: z.string().max(20).nullable(), messages: z.number().int() }),
	// Parties signing in by phone (手机号 + 验证码): phones masked here, the code never; whether a text went out.
	'party.login_code_request': z.object({ phone: z.string().max(20), sent: z.boolean() }),
	'party.login_code_failed': z.object({ phone: z.string().max(20), reason: z.enum(['wrong', 'expired', 'used', 'rate_limited', 'no_case']) }),
	'party.account_create': z.object({ placeId: z.number() }),
	'party.link': z.object({ partyIds: z.array(z.number()).min(1), caseIds: z.array(z.number()).min(1) }),
	'case.party_phone_correct': z.object({ partyId: z.number(), oldPhone: z.string().nullable(), newPhone: z.string(), unlinkedUserId: z.number().nullable(), linkedUserId: z.number().nullable() }),
	'case.party_invite': z.object({ partyId: z.number(), sender: z.string() }),
	'committee_seal.upload': z.object({ placeId: z.number(), sha256: z.string() }),
	// Statistics (issue 6): a confirmed recurring matter, and every export of figures or a case list.
	'stats.cluster_confirm': z.object({ caseIds: z.array(z.number()).min(2), departmentId: z.number(), placeId: z.number(), categoryId: z.number() }),
	'stats.export': z.object({ kind: z.string().max(40), rows: z.number().int(), query: z.string().max(500) }),
	// Joint reception roster (联合接访, issue 13 part 2): one row per sitting added or removed.
	'roster.add': z.object({ departmentId: z.number(), dutyDate: z.string(), halfDay: z.enum(['am', 'pm']), staffNames: z.string() }),
	'roster.remove': z.object({ departmentId: z.number(), dutyDate: z.string(), halfDay: z.enum(['am', 'pm']), staffNames: z.string() })
} as const;

export type AuditAction = keyof typeof auditEvents;
export type AuditData<A extends AuditAction> = z.input<(typeof auditEvents)[A]>;

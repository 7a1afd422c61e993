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
	// Calls (issue 14): the subject is the room's session (or reception); a guest's actor is null and
	// the invitation names them. Leaving carries how long the person was in the call.
	'call.invite': z.object({ caseId: z.number(), invitationId: z.number(), partyId: z.number(), expiresAt: z.string() }),
	'call.code_sent': z.object({ invitationId: z.number(), partyId: z.number(), sender: z.string() }),
	'call.code_failed': z.object({ invitationId: z.number(), reason: z.enum(['wrong', 'expired', 'used', 'rate_limited']) }),
	'call.join': z.object({ room: z.string(), peer: z.string(), invitationId: z.number().nullable() }),
	'call.leave': z.object({ room: z.string(), peer: z.string(), invitationId: z.number().nullable(), seconds: z.number() }),
	'case.file': z.object({ number: z.string(), channel: z.string(), placeId: z.number(), parties: z.number(), attachments: z.number().optional() }),
	'case.transition': z.object({
		transition: z.string(),
		from: z.string(),
		to: z.string(),
		actedAs: z.string(),
		details: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional()
	}),
	// Rows written before purposes were asked for have neither purpose nor address.
	'case.personal_data_view': z.object({
		partyId: z.number(),
		fields: z.array(z.enum(['phone', 'idNumber', 'address'])).min(1),
		purpose: z.enum(['service', 'identity', 'document', 'contact', 'other']).optional(),
		note: z.string().max(200).optional()
	}),
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
		sizeBytes: z.number().int(),
		// The sealing certificate and the trusted time, when the copy was sealed (issue 22).
		sealCertificateId: z.number().nullable().optional(),
		timestampedAt: z.string().nullable().optional()
	}),
	'document.verify': z.object({ method: z.enum(['code', 'file']), status: z.enum(['valid', 'altered', 'unknown', 'tampered']), documentId: z.number().nullable() }),
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
	// Comment threads on a record or an agreement draft (comment_threads/comment_entries); the subject is the
	// document. The words stay in their own append-only table; the chain holds their SHA-256, so a comment
	// changed afterwards no longer matches its audit row.
	'comment.open': z.object({ docName: z.string(), threadId: z.number(), entryId: z.number(), bodySha256: z.string(), mentions: z.array(z.number()) }),
	'comment.reply': z.object({ docName: z.string(), threadId: z.number(), entryId: z.number(), bodySha256: z.string(), mentions: z.array(z.number()) }),
	'comment.resolve': z.object({ docName: z.string(), threadId: z.number(), entryId: z.number() }),
	// An editor accepted or rejected a suggestion (or its author withdrew it) on a live document (issue 15):
	// written by the collaboration server in the transaction that stores the update doing it.
	'suggestion.settle': z.object({
		docName: z.string(),
		suggestionId: z.string().max(200),
		authorId: z.number().nullable(),
		kinds: z.array(z.enum(['insertion', 'deletion'])),
		outcome: z.enum(['accepted', 'rejected', 'withdrawn', 'unclear']),
		textSha256: z.string(),
		chars: z.number().int()
	}),
	'comment.reopen': z.object({ docName: z.string(), threadId: z.number(), entryId: z.number() }),
	// A thread found again by its quote after its text was replaced (a restore) gets fresh positions;
	// `cause` says which server step found it, `previous` the positions it replaced.
	'comment.reanchor': z.object({
		docName: z.string(),
		threadId: z.number(),
		cause: z.enum(['list', 'restore']),
		previous: z.object({ from: z.string(), to: z.string() }),
		from: z.string(),
		to: z.string()
	}),
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
	// Video reception (视频接访, issue 14): the subject is the request; names, phones and the matter stay on it.
	'reception.request': z.object({ townshipId: z.number().nullable(), preferredDate: z.string(), preferredHalfDay: z.enum(['am', 'pm']) }),
	'reception.schedule': z.object({ scheduledAt: z.string(), linkExpiresAt: z.string(), rescheduled: z.boolean() }),
	'reception.code_sent': z.object({ sender: z.string() }),
	'reception.code_failed': z.object({ reason: z.enum(['wrong', 'expired', 'used', 'rate_limited']) }),
	'reception.file': z.object({ caseId: z.number(), number: z.string() }),
	'sms.outbox_view': z.object({ phone: z.string().max(20).nullable(), messages: z.number().int() }),
	// Parties signing in by phone (手机号 + 验证码): phones masked here, the code never; whether a text went out.
	'party.login_code_request': z.object({ phone: z.string().max(20), sent: z.boolean() }),
	'party.login_code_failed': z.object({ phone: z.string().max(20), reason: z.enum(['wrong', 'expired', 'used', 'rate_limited', 'no_case']) }),
	'party.account_create': z.object({ placeId: z.number() }),
	'party.link': z.object({ partyIds: z.array(z.number()).min(1), caseIds: z.array(z.number()).min(1) }),
	'case.party_phone_correct': z.object({ partyId: z.number(), oldPhone: z.string().nullable(), newPhone: z.string(), unlinkedUserId: z.number().nullable(), linkedUserId: z.number().nullable() }),
	'case.party_invite': z.object({ partyId: z.number(), sender: z.string() }),
	'committee_seal.upload': z.object({ placeId: z.number(), sha256: z.string() }),
	// A sealing certificate installed for a place (the key itself never appears anywhere but encrypted in its row).
	'sealing_certificate.install': z.object({
		certificateId: z.number(),
		placeId: z.number(),
		fingerprint: z.string(),
		subject: z.string(),
		notAfter: z.string(),
		demo: z.boolean(),
		retiredId: z.number().nullable()
	}),
	// Statistics (issue 6): a confirmed recurring matter, and every export of figures or a case list.
	'stats.cluster_confirm': z.object({ caseIds: z.array(z.number()).min(2), departmentId: z.number(), placeId: z.number(), categoryId: z.number() }),
	// Retention (privacy/retention.ts): the policy as set, and each run's counts (never the values).
	'retention.policy_set': z.object({ recordType: z.string().max(40), years: z.number().int() }),
	// placeId: a run from the admin page, limited to that administrator's area; none: `npm run retention`, everything.
	'retention.run': z.object({ recordType: z.string().max(40), years: z.number().int(), cutoff: z.string(), cases: z.number().int(), parties: z.number().int(), placeId: z.number().int().optional() }),
	// A party's request for a copy of their personal data (privacy/export-party-data.ts): who was found, not what.
	'privacy.party_export': z.object({ matchedBy: z.enum(['phone', 'idNumber']), parties: z.number().int(), cases: z.number().int() }),
	'stats.export': z.object({ kind: z.string().max(40), rows: z.number().int(), query: z.string().max(500) }),
	// Joint reception roster (联合接访, issue 13 part 2): one row per sitting added or removed.
	'roster.add': z.object({ departmentId: z.number(), dutyDate: z.string(), halfDay: z.enum(['am', 'pm']), staffNames: z.string() }),
	'roster.remove': z.object({ departmentId: z.number(), dutyDate: z.string(), halfDay: z.enum(['am', 'pm']), staffNames: z.string() }),
	// Meetings on stalled matters (issue 13 part 3): the subject is the meeting; decisions' text stays in its minutes.
	'meeting.hold': z.object({ kind: z.string(), heldAt: z.string(), caseIds: z.array(z.number()), departmentIds: z.array(z.number()) }),
	'meeting.action_add': z.object({ actionId: z.number(), caseId: z.number(), departmentId: z.number(), ownerId: z.number(), dueOn: z.string() }),
	'meeting.action_done': z.object({ actionId: z.number(), caseId: z.number(), late: z.boolean() }),
	'meeting.minutes_pdf': z.object({ sha256: z.string() }),
	// Assessment and circulars (issue 13 part 4): the county's weights are policy, so each version is here in full.
	'assessment.weights': z.object({ version: z.number().int(), weights: z.record(z.string(), z.number()) }),
	'assessment.practice': z.object({ practiceId: z.number(), period: z.string(), unit: z.string() }),
	'assessment.circular_pdf': z.object({ period: z.string(), weightsVersion: z.number().int(), sha256: z.string() }),
	// Named mediation studios (品牌调解工作室, issue 13 part 1): set up and kept by the county, given matters by supervisors.
	'studio.create': z.object({ name: z.string(), placeId: z.number(), leadId: z.number(), method: z.string(), intake: z.string() }),
	'studio.update': z.object({ name: z.string(), placeId: z.number(), leadId: z.number(), method: z.string(), intake: z.string() }),
	'studio.member_add': z.object({ userId: z.number() }),
	'studio.member_remove': z.object({ userId: z.number() }),
	// 越级 above the county (赴市/赴省/进京), counted apart in the assessment; the note stays on the staff timeline.
	'case.escalation_record': z.object({
		level: z.enum(['city', 'province', 'beijing']).nullable(),
		previous: z.enum(['city', 'province', 'beijing']).nullable(),
		on: z.string()
	}),
	'studio.assign': z.object({ caseId: z.number(), studioId: z.number().nullable(), fromStudioId: z.number().nullable() })
} as const;

export type AuditAction = keyof typeof auditEvents;
export type AuditData<A extends AuditAction> = z.input<(typeof auditEvents)[A]>;

import type { SignatureMark } from './enums';
/**
 * A signing form's inputs kept in the tab (sessionStorage) while a party signs on a link that drops:
 * a reload, or a minute without network, must not cost an elderly signer their drawn signature and
 * typed name. Per signing link and per agreement text (its hash): a draft for a text that changed since
 * is never put back. sessionStorage rather than localStorage: it ends with the tab, so a signature is
 * not left on a shared phone, and it survives a reload, which is what a dropping link needs.
 */
export interface SignDraft {
	hash: string;
	mark: SignatureMark;
	/** The PNG data URL of the drawn mark, exactly as it would be sent. */
	signature: string;
	typedName: string;
	confirmName: boolean;
	/** The signer already tapped submit while offline: send as soon as the link is back. */
	queued: boolean;
}

/** Asks the signature pad to draw a kept mark back (detail: its PNG data URL). */
export const RESTORE_EVENT = 'pingli:restore-signature';

const key = (link: string) => `pingli:sign-draft:${link}`;

export function loadSignDraft(link: string, hash: string): SignDraft | null {
	try {
		const draft = JSON.parse(sessionStorage.getItem(key(link)) ?? 'null') as SignDraft | null;
		return draft && draft.hash === hash ? draft : null;
	} catch {
		return null;
	}
}

export function saveSignDraft(link: string, draft: SignDraft): void {
	try {
		sessionStorage.setItem(key(link), JSON.stringify(draft));
	} catch {
		// Storage full or off: the form itself still holds everything until the page is left.
	}
}

export function clearSignDraft(link: string): void {
	try {
		sessionStorage.removeItem(key(link));
	} catch {
		// Nothing kept.
	}
}

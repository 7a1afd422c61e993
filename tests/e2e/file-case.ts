import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';

const cw: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/casework/zh-CN.json'), 'utf8'));

export interface PartyFiling {
	name: string;
	phone?: string;
	idNumber?: string;
	address?: string;
}

/** What a person types into the new-case form (/cases/new); left out: the form's default stays. */
export interface CaseFiling {
	title: string;
	description: string;
	/** The category's label, or its position in the list. Default 邻里纠纷. */
	category?: string | { index: number };
	/** The channel's label (来访, …). */
	channel?: string;
	/** The first place whose option names this (a village such as 城南村). */
	place?: string;
	/** The received date, a Shanghai date (YYYY-MM-DD). */
	received?: string;
	applicant: PartyFiling;
	respondent?: PartyFiling;
	/** Whether the page is already on /cases/new (reached by the caller's own way there). */
	alreadyOnForm?: boolean;
	/** Runs on the filled form just before it is sent, e.g. to take a screenshot. */
	beforeSubmit?: (page: Page) => Promise<void>;
}

async function fillParty(page: Page, group: string, party: PartyFiling): Promise<void> {
	const fieldset = page.getByRole('group', { name: group, exact: true });
	await fieldset.getByLabel(cw.cw_party_name).fill(party.name);
	if (party.phone) await fieldset.getByLabel(cw.cw_party_phone).fill(party.phone);
	if (party.idNumber) await fieldset.getByLabel(cw.cw_party_id).fill(party.idNumber);
	if (party.address) await fieldset.getByLabel(cw.cw_party_address).fill(party.address);
}

/**
 * Files a case through the new-case form as the user `page` is signed in as, with the labels people
 * read, and waits for the case page. Returns the case's path (/cases/<id>).
 */
export async function fileCaseAs(page: Page, filing: CaseFiling): Promise<string> {
	if (!filing.alreadyOnForm) await page.goto('/cases/new');
	if (filing.channel) await page.getByLabel(`${cw.cw_channel} *`).selectOption({ label: filing.channel });
	if (filing.place) {
		const place = page.getByLabel(`${cw.cw_place} *`);
		await place.selectOption((await place.locator('option', { hasText: filing.place }).first().getAttribute('value'))!);
	}
	const category = filing.category ?? '邻里纠纷';
	await page.getByLabel(`${cw.cw_category} *`).selectOption(typeof category === 'string' ? { label: category } : category);
	await page.getByLabel(`${cw.cw_title} *`).fill(filing.title);
	await page.getByLabel(`${cw.cw_description} *`).fill(filing.description);
	if (filing.received) await page.getByLabel(cw.cw_received, { exact: true }).fill(filing.received);
	await fillParty(page, cw.cw_applicant_n.replace('{n}', '1'), filing.applicant);
	if (filing.respondent) await fillParty(page, cw.cw_respondent_n.replace('{n}', '1'), filing.respondent);
	await filing.beforeSubmit?.(page);
	await page.getByRole('button', { name: cw.cw_submit, exact: true }).click();
	await expect(page).toHaveURL(/\/cases\/\d+$/);
	return new URL(page.url()).pathname;
}

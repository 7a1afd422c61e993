/**
 * Mainland mobile numbers: 11 digits starting with 1[3-9]. Full-width digits (１３８…), spaces,
 * dashes and a +86/0086 prefix are normalised away; anything else is rejected.
 */
export function normalizePhone(input: string): string | null {
	const ascii = input
		.normalize('NFKC')
		.replace(/[\s\-()]/g, '')
		.replace(/^(\+86|0086)/, '');
	return /^1[3-9]\d{9}$/.test(ascii) ? ascii : null;
}

/** Shows only the last four digits, e.g. `*******5678`. */
export function maskPhone(phone: string): string {
	return phone.length <= 4 ? phone : '*'.repeat(phone.length - 4) + phone.slice(-4);
}

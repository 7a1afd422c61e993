/**
 * A meeting form as the use cases take it and as the page refills it: the list fields (checkboxes) as
 * arrays, every value cut short so a huge one is never echoed back.
 */
export async function readMeetingForm(request: Request, listFields: readonly string[] = []): Promise<Record<string, string | string[]>> {
	const form = await request.formData();
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).map((v) => (typeof v === 'string' ? v.slice(0, 1200) : ''));
		out[key] = listFields.includes(key) ? all.slice(0, 100) : all[0];
	}
	return out;
}

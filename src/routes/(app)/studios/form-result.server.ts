import type { RequestEvent } from '@sveltejs/kit';
import { formFields, formFailure } from '$lib/server/http/form-action';

/** The fields sent (formFailure echoes them back through echoValues, so nothing huge returns). */
export async function sent(event: RequestEvent): Promise<Record<string, string>> {
	return formFields(await event.request.formData());
}

/**
 * A use case's refusal as the form's answer, refilled. Every refusal stays on the studio page (a studio
 * or matter out of reach is said in words there), so no code goes to the error page.
 */
export function failWith(action: string, err: unknown, values: Record<string, string>) {
	return formFailure(err, values, {
		action,
		errorPage: [],
		fallback: (e, fields) => Object.values(fields)[0] ?? (e.code === 'forbidden' ? 'sd_err_forbidden' : e.code === 'not_found' ? 'sd_err_not_found' : 'err_form')
	});
}

import type { ParamMatcher } from '@sveltejs/kit';
import { isStrictId } from '../lib/utils/strict-id';

/** An agreement copy's holder: a party id, or the committee's own copy. */
export const match: ParamMatcher = (param) => param === 'committee' || isStrictId(param);

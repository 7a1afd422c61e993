import type { ParamMatcher } from '@sveltejs/kit';
import { isStrictId } from '../lib/utils/strict-id';

/** Route ids (`[id=id]`): anything but a plain positive integer is no route at all, so a 404. */
export const match: ParamMatcher = (param) => isStrictId(param);

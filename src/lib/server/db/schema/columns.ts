import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL `bytea` as a Uint8Array, whichever driver (PGlite or postgres.js) returns it. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value)
});

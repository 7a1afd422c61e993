/**
 * A database id as it may appear in a URL: digits only, no leading zero, at most ten digits (the
 * serial columns are int4). `Number()` alone would read `0xc`, `1.2e1`, ` 12` and `012` as 12, so
 * one record would answer at many addresses.
 */
export const STRICT_ID = /^[1-9][0-9]{0,9}$/;

export const isStrictId = (value: string): boolean => STRICT_ID.test(value) && Number(value) <= 2_147_483_647;

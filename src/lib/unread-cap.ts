/** The header shows "99+" past this: counting further costs a longer index scan on every page for nothing. */
export const UNREAD_CAP = 99;

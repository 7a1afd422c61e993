/**
 * The neighbours of page `page` of `pages` as hrefs that keep the rest of the query string (filters,
 * a search); page 1 is the address without `page`.
 */
export function pageLinks(url: URL, page: number, pages: number): { prev: string | null; next: string | null } {
	const href = (n: number) => {
		const params = new URLSearchParams(url.searchParams);
		if (n > 1) params.set('page', String(n));
		else params.delete('page');
		const query = params.toString();
		return query ? `${url.pathname}?${query}` : url.pathname;
	};
	return { prev: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null };
}

/** How many pages `total` rows make, `pageSize` a page (at least one, so an empty list is page 1 of 1). */
export function pageCount({ total, pageSize }: { total: number; pageSize: number }): number {
	return Math.max(1, Math.ceil(total / pageSize));
}

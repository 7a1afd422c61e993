const HEX = /^#[0-9a-f]{6}$/i;

/**
 * Another person's caret with their name, for Tiptap's CollaborationCaret. Built with DOM calls:
 * names come from other people's browsers. Styled globally (app.css: `.collaboration-carets__*`).
 */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
	const color = typeof user.color === 'string' && HEX.test(user.color) ? user.color : '#5c5c66';
	const caret = document.createElement('span');
	caret.className = 'collaboration-carets__caret';
	caret.style.borderColor = color;
	const label = document.createElement('span');
	label.className = 'collaboration-carets__label';
	label.style.backgroundColor = color;
	label.textContent = typeof user.name === 'string' ? user.name.slice(0, 60) : '';
	caret.append(label);
	return caret;
}

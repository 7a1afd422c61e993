import { DEMO_ACCOUNTS, DEMO_PASSWORD, expect, signIn, test, zh } from './fixtures';

/**
 * This account is locked out by the rate-limit test, so no other test signs in with it. Its role
 * (legal-literate villager) is still covered by `villager`.
 */
const LOCKED_OUT = 'qiujin.villager';

test('the login page is in Chinese, whatever language the browser prefers', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
	await expect(page.getByLabel('手机号或用户名')).toBeVisible();
	await expect(page.getByLabel('密码', { exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
});

test.describe('each demo role signs in and lands on its home', () => {
	const accounts = DEMO_ACCOUNTS.filter((a) => a.username !== LOCKED_OUT);

	test('the accounts signed in here cover every demo role', () => {
		const covered = new Set(accounts.flatMap((a) => a.roles));
		expect([...covered].sort()).toEqual([...new Set(DEMO_ACCOUNTS.flatMap((a) => a.roles))].sort());
	});

	for (const account of accounts) {
		test(`${account.username} (${account.roles.join(', ')})`, async ({ page }) => {
			await signIn(page, account.username);
			await expect(page).toHaveURL('/');
			await expect(page.getByRole('heading', { level: 1, name: account.name })).toBeVisible();
			for (const role of account.roles) {
				const tag = page.locator(`[data-role="${role}"]`);
				await expect(tag).toContainText(zh[`role_${role}`]);
				if (account.panelistType) await expect(tag).toContainText(zh[`panelist_${account.panelistType}`]);
				// The role's "what next" card.
				await expect(page.getByText(zh[`next_${role}`])).toBeVisible();
			}
		});
	}

	test('by phone number as well as by username', async ({ page }) => {
		const mediator = DEMO_ACCOUNTS.find((a) => a.roles.includes('mediator'))!;
		await signIn(page, mediator.phone);
		await expect(page).toHaveURL('/');
		await expect(page.getByRole('heading', { level: 1, name: mediator.name })).toBeVisible();
	});
});

test.describe('a failed sign-in', () => {
	const failed = '手机号/用户名或密码不正确。';

	test('a wrong password: the message in Chinese, the login name kept', async ({ page }) => {
		await signIn(page, 'mediator', 'not-the-password');
		await expect(page.getByRole('alert')).toHaveText(failed);
		await expect(page).toHaveURL(/\/login/);
		await expect(page.getByLabel('手机号或用户名')).toHaveValue('mediator');
	});

	test('an unknown account gets the very same answer', async ({ page }) => {
		await signIn(page, 'nobody.here', 'not-the-password');
		await expect(page.getByRole('alert')).toHaveText(failed);
		await expect(page.getByLabel('手机号或用户名')).toHaveValue('nobody.here');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });

		test('the form comes back with the message, the login name and an empty password', async ({ page }) => {
			await signIn(page, 'mediator', 'not-the-password');
			await expect(page.getByRole('alert')).toHaveText(failed);
			await expect(page.getByLabel('手机号或用户名')).toHaveValue('mediator');
			await expect(page.getByLabel('密码', { exact: true })).toHaveValue('');
		});
	});

	test('with JavaScript the typed password is not left in the field either', async ({ page }) => {
		// use:enhance resets a form only after a success, so the login page empties it itself.
		await signIn(page, 'mediator', 'not-the-password');
		await expect(page.getByRole('alert')).toHaveText(failed);
		await expect(page.getByLabel('密码', { exact: true })).toHaveValue('', { timeout: 2_000 });
	});

	test('five failures for one account: then even the right password is refused', async ({ page }) => {
		for (let i = 0; i < 5; i++) {
			await signIn(page, LOCKED_OUT, `wrong-password-${i}`);
			await expect(page.getByRole('alert')).toHaveText(failed);
		}
		await signIn(page, LOCKED_OUT, DEMO_PASSWORD);
		// It says when to try again, not just "later".
		await expect(page.getByRole('alert')).toHaveText(/^尝试次数过多，请 1[45] 分钟后再试。$/);
		await expect(page).toHaveURL(/\/login/);
	});
});

/** Every demo account's password (README, Demo logins). */
export const DEMO_PASSWORD = 'pingli-demo-2026';

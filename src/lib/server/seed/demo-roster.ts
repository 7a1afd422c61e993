import { eq } from 'drizzle-orm';
import { CHINA_CALENDAR } from '../cases/holidays';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Tx } from '../db';
import { departments, dutyRoster, places, users } from '../db/schema';
import { monthDays, shiftMonth } from '../../utils/roster-calendar';

/** Sits at the centre in turn; 县自然资源局 is left off so a walkthrough can add it to any sitting. */
const ROTA: { department: string; staff: string }[] = [
	{ department: '县信访局', staff: '刘建国、熊丽' },
	{ department: '县司法局', staff: '陈律、𡈼明' },
	{ department: '县人力资源和社会保障局', staff: '万芳' },
	{ department: '县住房和城乡建设局', staff: '邹强' },
	{ department: '县民政局', staff: '余敏' }
];

/**
 * The joint reception roster for the current and the next month: every working sitting covered in
 * turn except the first working day of the next month, the one deliberate gap the page warns about.
 */
export async function seedDemoRoster(db: Tx, now = new Date()): Promise<{ gapDate: string }> {
	const [county] = await db.select({ id: places.id }).from(places).where(eq(places.kind, 'county'));
	const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
	const deptRows = await db.select({ id: departments.id, name: departments.name }).from(departments);
	const deptId = (name: string) => deptRows.find((d) => d.name === name)!.id;
	const month = shanghaiDate(now).slice(0, 7);
	const next = shiftMonth(month, 1);
	const gapDate = monthDays(next).find((d) => CHINA_CALENDAR.isWorkingDay(d))!;
	const rows: (typeof dutyRoster.$inferInsert)[] = [];
	let turn = 0;
	for (const date of [...monthDays(month), ...monthDays(next)]) {
		if (!CHINA_CALENDAR.isWorkingDay(date) || date === gapDate) continue;
		for (const halfDay of ['am', 'pm'] as const) {
			const { department, staff } = ROTA[turn++ % ROTA.length];
			rows.push({ countyId: county.id, departmentId: deptId(department), dutyDate: date, halfDay, staffNames: staff, createdById: admin.id });
		}
	}
	await db.insert(dutyRoster).values(rows);
	return { gapDate };
}

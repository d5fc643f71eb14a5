// The Temporal Schedule that closes the warehouses' days (workflows/handover-close.ts). One schedule
// for every warehouse, every few minutes, rather than one per warehouse at its cut-off: a cut-off
// changed in the warehouses table takes effect at the next run, with no schedule to update.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Logger } from '../lib/logger';
import { handoverCloseWorkflow } from '../workflows/handover-close';

export const HANDOVER_SCHEDULE_ID = 'handover-close';
/** A day closes at most this long after its cut-off. */
export const HANDOVER_CLOSE_EVERY = '5 minutes';

/** Creates the schedule unless it exists (every worker process calls this at start-up). */
export async function ensureHandoverSchedule(
  client: Client,
  { taskQueue, logger, scheduleId = HANDOVER_SCHEDULE_ID }: { taskQueue: string; logger: Logger; scheduleId?: string },
): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: HANDOVER_CLOSE_EVERY }] },
      action: { type: 'startWorkflow', workflowType: handoverCloseWorkflow, args: [{}], taskQueue, workflowId: scheduleId },
      // A run still going (a slow database) is not doubled; runs missed while the server was down are made up once.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    logger.info({ scheduleId, every: HANDOVER_CLOSE_EVERY }, 'handover schedule created');
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}

// Every activity's PostgreSQL data errors fail it once, non-retryably (activities/data-errors.ts):
// retrying a value the database cannot hold only repeats the refusal, for ever.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { dataErrorFailure } from '../activities/data-errors';

export const dataErrorsNotRetried: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        throw dataErrorFailure(err) ?? err;
      }
    },
  },
});

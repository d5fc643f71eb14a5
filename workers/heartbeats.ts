// An activity scheduled with a heartbeat timeout says it is alive while it runs, whatever it waits
// on (a mail server given 10 minutes to accept a message, RFC 5321): a worker that dies mid-call is
// then noticed within the heartbeat timeout and the call retried, not only at its start-to-close.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export const heartbeatWhileRunning: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const timeoutMs = ctx.info.heartbeatTimeoutMs;
      if (!timeoutMs) return next(input);
      const beat = setInterval(() => ctx.heartbeat(), timeoutMs / 3);
      try {
        return await next(input);
      } finally {
        clearInterval(beat);
      }
    },
  },
});

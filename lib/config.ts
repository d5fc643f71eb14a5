// Process configuration from the environment, validated once at start-up.
// The defaults are the dev stack's (scripts/lib.sh, .env.example); production sets every value.
import { z } from 'zod';

const ConfigSchema = z.object({
  DATABASE_URL: z.url().default('postgres://order_engine:order_engine_dev@127.0.0.1:54320/order_engine'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`invalid configuration: ${problems}`);
}

import type { z } from 'zod';

/** A zod error as one line for a 400 answer: `path: message; …`. */
export function zodReason(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

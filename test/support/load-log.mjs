// `node --import ./test/support/load-log.mjs …`: prints every module URL the process loads (one
// "load <url>" line on stderr), so a test can prove what the production entry point runs.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function load(url, context, next) {
  process.stderr.write('load ' + url + '\\n');
  return next(url, context);
}`)}`,
  import.meta.url,
);

// Preloaded with `--import`: appends the URL of every module the process resolves, ES module or
// CommonJS, to the file named by RECORD_MODULES_TO. Node's synchronous hooks see both loaders.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.RECORD_MODULES_TO;
if (file) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      appendFileSync(file, `${resolved.url}\n`);
      return resolved;
    },
  });
}

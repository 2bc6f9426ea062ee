#!/usr/bin/env node
import { isNodeTooOld, LOWEST_NODE } from './node-version.js';

// Checked before anything imports node:sqlite, which older Node versions lack: one clear line
// instead of ERR_UNKNOWN_BUILTIN_MODULE and a stack trace. No top-level await: the CLI is also
// built as CommonJS.
if (isNodeTooOld(process.versions.node)) {
  process.stderr.write(`shims-collector: needs Node.js ${LOWEST_NODE} or newer (for node:sqlite); this is Node.js ${process.versions.node}\n`);
  process.exitCode = 1;
} else {
  void import('./run-cli.js').then(({ runCli }) =>
    runCli(
      process.argv.slice(2),
      {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        onSignal: (signal, handler) => process.once(signal, handler),
      },
      process.env,
    ).then((run) => {
      if (run.exitCode !== undefined) process.exitCode = run.exitCode;
    }),
  );
}

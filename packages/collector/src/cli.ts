#!/usr/bin/env node
import { runCli } from './run-cli.js';

// No top-level await: the CLI is also built as CommonJS.
void runCli(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    onSignal: (signal, handler) => process.once(signal, handler),
  },
  process.env,
).then((run) => {
  if (run.exitCode !== undefined) process.exitCode = run.exitCode;
});

#!/usr/bin/env node
/**
 * The `goatflow-plugin` executable (the `bin` of `@goatflow/sdk`).
 * @module
 */
import { runCli } from './cli.js';
import { processIo } from './io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());

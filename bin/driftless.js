#!/usr/bin/env node
// Launcher for the TypeScript CLI: tsx compiles on the fly, so the bin works from a clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

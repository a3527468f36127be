// The process entry of the command line: runs it on argv and sets the exit code.

import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));

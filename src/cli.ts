// The command line (a contract: scripts depend on it; see ARCHITECTURE.md). Data and --json go
// to stdout, logs to stderr. Exit 0 on success, 1 on failure, 2 on bad usage. Errors are one
// sentence; a stack trace only with --verbose. The only module that reads argv and the environment.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import Table from 'cli-table3';
import { FreightError } from '../ir/errors.js';
import { printProgram } from '../ir/print-program.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerCostCommand } from './commands/cost.js';
import { registerCompileCommand } from './commands/compile.js';
import { registerDbCommand } from './commands/db.js';
import { registerDeviceCommand } from './commands/device.js';
import { registerLeaderboardCommand } from './commands/leaderboard.js';
import { formatReport, inspectModel } from './commands/inspect.js';
import { runModel, type Backend } from './commands/run.js';
import { registerTuneCommand } from './commands/tune.js';
import { shapeOption } from './options.js';

function collectInput(value: string, previous: Record<string, string>): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0 || i === value.length - 1) throw new InvalidArgumentError(`expected NAME=FILE.npy, got '${value}'`);
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return Number(value);
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function buildCli(): Command {
  const program = new Command('freight')
    .description('An autotuning compiler for deep-learning models: ONNX in, a data-centric IR, tuned kernels out.')
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program.command('inspect')
    .description('describe a model: inputs, outputs, operators, parameters, FLOPs, unsupported operators')
    .argument('<MODEL>', 'an .onnx file')
    .addOption(shapeOption())
    .option('--json', 'print JSON to stdout')
    .option('--program', 'also print the lowered loop-level program (one kernel per node)')
    .option('--fused', 'also print the program after the default fusion plan: the kernels the webgpu backend dispatches, each with the nodes it computes')
    .action((model: string, opts: { shape: Record<string, number[]>; json?: boolean; program?: boolean; fused?: boolean }) => {
      const { report, graph, program: lowered, fused } = inspectModel(model, { shapes: opts.shape });
      if (opts.json) return write(JSON.stringify(report, null, 2));
      write(formatReport(report));
      if (opts.program && lowered) write(`\n${printProgram(lowered, graph)}`);
      if (opts.fused && fused) write(`\n${printProgram(fused, graph)}`);
    });

  program.command('run')
    .description('run a model on given or seeded random inputs')
    .argument('<MODEL>', 'an .onnx file')
    .addOption(shapeOption())
    .addOption(new Option('--input <NAME=FILE.npy>', 'an input value from a .npy file (repeatable)').argParser(collectInput).default({}, 'random'))
    .addOption(new Option('--seed <N>', 'seed of the random inputs').argParser(parseSeed).default(0))
    .addOption(new Option('--backend <NAME>', 'reference: operator by operator; loop: the lowered maps and memlets; webgpu: generated WGSL kernels').choices(['reference', 'loop', 'webgpu']).default('webgpu'))
    .option('--device <NAME>', "webgpu: 'auto', 'swiftshader', or part of the adapter's name", 'auto')
    .option('--db <FILE>', 'webgpu: use the best schedules of this tuning database')
    .option('--out <DIR>', 'write one .npy file per output into DIR')
    .option('--json', 'print JSON to stdout')
    .action(async (model: string, opts: { shape: Record<string, number[]>; input: Record<string, string>; seed: number; backend: string; device: string; db?: string; out?: string; json?: boolean }) => {
      const warn = (message: string): void => { process.stderr.write(`freight: warning: ${message}\n`); };
      const { report } = await runModel(model, { shapes: opts.shape, inputFiles: opts.input, seed: opts.seed, backend: opts.backend as Backend, device: opts.device, db: opts.db, outDir: opts.out, warn });
      if (opts.json) return write(JSON.stringify(report, null, 2));
      const table = new Table({ head: ['output', 'dtype', 'shape', 'min', 'max', 'mean', 'file'], style: { head: [], border: [] } });
      for (const o of report.outputs) {
        table.push([o.name, o.dtype, `[${o.shape.join(', ')}]`, fmt(o.min), fmt(o.max), fmt(o.mean), o.file ?? '']);
      }
      write(table.toString());
      process.stderr.write(`${report.backend} backend: ${report.runMs.toFixed(1)} ms\n`);
    });

  registerDeviceCommand(program);
  registerBenchCommand(program);
  registerCostCommand(program);
  registerDbCommand(program);
  registerTuneCommand(program);
  registerCompileCommand(program);
  registerLeaderboardCommand(program);
  return program;
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(5));

export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    // A command may ask for another status (tune stopped by a signal: 130).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof FreightError) {
      process.stderr.write(`freight: ${e.message}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return 1;
    }
    const err = e as Error;
    process.stderr.write(`freight: internal error: ${err?.message ?? String(e)} (this is a bug in freight; rerun with --verbose for details)\n`);
    if (verbose && err?.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

// Command-line options shared by several commands.

import { InvalidArgumentError, Option } from 'commander';

function collectShape(value: string, previous: Record<string, number[]>): Record<string, number[]> {
  const m = /^([^=]+)=(\d+(?:,\d+)*)?$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected NAME=D0,D1,... (e.g. input=1,3,224,224), got '${value}'`);
  return { ...previous, [m[1]]: m[2] ? m[2].split(',').map(Number) : [] };
}

/** `--shape NAME=D0,D1,...`, repeatable: binds the dynamic dimensions of an input. */
export const shapeOption = (): Option => new Option('--shape <NAME=D0,D1,...>', 'bind the dynamic dimensions of an input (repeatable)')
  .argParser(collectShape).default({}, 'none');

/** A count option (`--runs`, `--trials`, …): a positive integer. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return Number(value);
}

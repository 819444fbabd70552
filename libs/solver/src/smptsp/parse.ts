import type { SmptspInstance, Task } from './types';

/**
 * Parses the OR-Library SMPTSP (".dat") text format:
 *
 *   # comments
 *   Type = 1
 *   Jobs = N
 *    start end            (N lines)
 *   Qualifications = M
 *    k: t1 ... tk         (M lines; k is a count)
 *
 * Throws an Error naming the (1-based) line and the problem on malformed input, because a silently
 * mis-read instance would produce wrong schedules that look plausible.
 */
export function parseSmptsp(text: string): SmptspInstance {
  const lines = text.split(/\r?\n/);
  let lineNo = 0;

  const fail = (message: string, at = lineNo): never => {
    throw new Error(`SMPTSP parse error at line ${at}: ${message}`);
  };

  /** Next line that is neither blank nor a comment; returns undefined at end of input. */
  const nextContentLine = (): string | undefined => {
    while (lineNo < lines.length) {
      const raw = lines[lineNo++].trim();
      if (raw !== '' && !raw.startsWith('#')) return raw;
    }
    return undefined;
  };

  const readHeader = (key: string): number => {
    const line = nextContentLine();
    if (line === undefined) return fail(`expected "${key} = <number>" but input ended`, lines.length);
    const match = /^(\w+)\s*=\s*(\S+)$/.exec(line);
    if (!match || match[1] !== key) return fail(`expected "${key} = <number>", got "${line}"`);
    return parseNonNegativeInt(match[2], `${key} value`);
  };

  const parseNonNegativeInt = (token: string, what: string): number => {
    if (!/^\d+$/.test(token)) return fail(`${what} must be a non-negative integer, got "${token}"`);
    return Number(token);
  };

  const type = readHeader('Type');
  if (type !== 1) fail(`unsupported Type ${type} (only Type = 1 is defined)`);

  const taskCount = readHeader('Jobs');
  const tasks: Task[] = [];
  for (let i = 0; i < taskCount; i++) {
    const line = nextContentLine();
    if (line === undefined) return fail(`expected ${taskCount} task lines, found only ${i}`, lines.length);
    const tokens = line.split(/\s+/);
    if (tokens.length !== 2) fail(`task ${i}: expected "start end", got "${line}"`);
    const start = parseNonNegativeInt(tokens[0], `task ${i} start`);
    const end = parseNonNegativeInt(tokens[1], `task ${i} end`);
    if (end <= start) fail(`task ${i}: end ${end} must be after start ${start}`);
    tasks.push({ start, end });
  }

  const workerCount = readHeader('Qualifications');
  const qualifications: number[][] = [];
  for (let w = 0; w < workerCount; w++) {
    const line = nextContentLine();
    if (line === undefined) {
      return fail(`expected ${workerCount} qualification lines, found only ${w}`, lines.length);
    }
    const match = /^(\d+)\s*:\s*(.*)$/.exec(line);
    if (!match) return fail(`worker ${w}: expected "k: t1 ... tk", got "${line}"`);
    const count = Number(match[1]);
    const tokens = match[2] === '' ? [] : match[2].split(/\s+/);
    if (tokens.length !== count) {
      fail(`worker ${w}: count says ${count} tasks but ${tokens.length} are listed`);
    }
    const seen = new Set<number>();
    const list: number[] = [];
    for (const token of tokens) {
      const task = parseNonNegativeInt(token, `worker ${w} task index`);
      if (task >= taskCount) fail(`worker ${w}: task index ${task} out of range 0..${taskCount - 1}`);
      if (seen.has(task)) fail(`worker ${w}: task index ${task} listed twice`);
      seen.add(task);
      list.push(task);
    }
    qualifications.push(list);
  }

  const trailing = nextContentLine();
  if (trailing !== undefined) fail(`unexpected content after the last worker: "${trailing}"`);

  return { tasks, qualifications };
}

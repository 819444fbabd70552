import { Prng } from './prng';
import type { SmptspInstance, Task } from './types';

/**
 * SMPTSP instances with a known optimum, built differently from the public set: K chains of
 * tightly packed, non-overlapping tasks, each the whole day's work of one planted worker, all K
 * running at one common moment (so the max-overlap lower bound is K and the optimum is provably
 * K). The planted workers are hidden among extra workers that hold pieces of several chains
 * ("decoys": attractive, but using one forces a worker more), and every worker gets scattered
 * cross-qualifications; task and worker numbers are shuffled.
 */
export interface PlantedParameters {
  /** Number of planted chains = the optimum. */
  readonly chains: number;
  /** Tasks per chain on average (chain lengths vary ±25 %). */
  readonly tasksPerChain: number;
  /** Workers beyond the planted ones. */
  readonly extraWorkers: number;
  /** Share of the day each chain's tasks cover (0.5-0.99): the rest are gaps between them. */
  readonly tightness: number;
  /** Probability that a worker is qualified for any one task outside its own chain/segments. */
  readonly crossQualification: number;
  /** Chain pieces per extra worker (each a run of consecutive tasks of a random chain). */
  readonly segmentsPerExtra: number;
  /** Tasks per chain piece of an extra worker, on average. */
  readonly segmentLength: number;
  readonly seed: number;
}

export interface PlantedInstance {
  readonly instance: SmptspInstance;
  /** The optimum: the number of chains, equal to the max-overlap lower bound. */
  readonly optimum: number;
  /** A schedule with `optimum` workers (each planted worker does its own chain). */
  readonly plantedAssignment: readonly number[];
}

/** Length of the planning day in minutes; tasks are whole minutes inside it. */
const DAY = 1440;
/** Shortest task, minutes. */
const MIN_TASK = 10;

export function generatePlantedInstance(parameters: PlantedParameters): PlantedInstance {
  validate(parameters);
  const rng = new Prng(parameters.seed);
  // The common moment: every chain has a task running then, so K tasks overlap there.
  const common = Math.floor(DAY * (0.3 + 0.4 * rng.nextFloat()));
  const chains: Task[][] = [];
  for (let k = 0; k < parameters.chains; k++) {
    const length = Math.max(1, Math.round(parameters.tasksPerChain * (0.75 + 0.5 * rng.nextFloat())));
    chains.push(buildChain(length, parameters.tightness, common, rng));
  }

  // Tasks in a shuffled order; chainTasks[k] lists chain k's task numbers in time order.
  const flat: { task: Task; chain: number }[] = chains.flatMap((tasks, chain) =>
    tasks.map((task) => ({ task, chain })),
  );
  const order = shuffled(flat.length, rng);
  const tasks: Task[] = new Array<Task>(flat.length);
  const chainOf = new Int32Array(flat.length);
  const chainTasks: number[][] = chains.map(() => []);
  const position = new Int32Array(flat.length);
  order.forEach((source, target) => (position[source] = target));
  let source = 0;
  chains.forEach((chainList, chain) => {
    for (let i = 0; i < chainList.length; i++) {
      const target = position[source++];
      tasks[target] = chainList[i];
      chainOf[target] = chain;
      chainTasks[chain].push(target);
    }
  });

  const workerCount = parameters.chains + parameters.extraWorkers;
  const workerIds = shuffled(workerCount, rng);
  const sets: Set<number>[] = Array.from({ length: workerCount }, () => new Set<number>());
  // Planted worker k does chain k.
  for (let k = 0; k < parameters.chains; k++) for (const t of chainTasks[k]) sets[workerIds[k]].add(t);
  // Extra workers: runs of consecutive tasks from several chains.
  for (let e = 0; e < parameters.extraWorkers; e++) {
    const set = sets[workerIds[parameters.chains + e]];
    for (let s = 0; s < parameters.segmentsPerExtra; s++) {
      const chain = chainTasks[rng.nextInt(parameters.chains)];
      const length = Math.max(1, Math.round(parameters.segmentLength * (0.5 + rng.nextFloat())));
      const first = rng.nextInt(chain.length);
      for (let i = first; i < Math.min(chain.length, first + length); i++) set.add(chain[i]);
    }
  }
  // Cross-qualifications for everybody.
  const expected = parameters.crossQualification * tasks.length;
  for (const set of sets) {
    const count = Math.round(expected * (0.5 + rng.nextFloat()));
    for (let i = 0; i < count; i++) set.add(rng.nextInt(tasks.length));
  }

  const plantedAssignment = Array.from(chainOf, (chain) => workerIds[chain]);
  return {
    instance: { tasks, qualifications: sets.map((set) => [...set].sort((a, b) => a - b)) },
    optimum: parameters.chains,
    plantedAssignment,
  };
}

/**
 * `length` tasks without overlap covering `tightness` of the day, one of them running at
 * `common`: that one is placed first, the others fill the time before and after it in
 * proportion, with random task lengths and gaps.
 */
function buildChain(length: number, tightness: number, common: number, rng: Prng): Task[] {
  const busy = Math.max(length * MIN_TASK, Math.round(DAY * tightness));
  const durations = splitRandomly(busy, length, MIN_TASK, rng);
  // The anchor is the task a proportional layout would run at `common`, so that the tasks before
  // it fit before `common` and those after it fit after.
  let anchor = 0;
  for (let before = 0; anchor < length - 1 && before + durations[anchor] <= common * tightness; anchor++) {
    before += durations[anchor];
  }
  const before = durations.slice(0, anchor);
  const after = durations.slice(anchor + 1);
  const anchorLength = durations[anchor];
  // The anchor starts so that it covers `common` and the rest still fits the day.
  const sumBefore = before.reduce((s, d) => s + d, 0);
  const sumAfter = after.reduce((s, d) => s + d, 0);
  const earliest = Math.max(sumBefore, common - anchorLength + 1);
  const latest = Math.min(common, DAY - sumAfter - anchorLength);
  const anchorStart =
    earliest >= latest ? Math.max(0, latest) : earliest + rng.nextInt(latest - earliest + 1);
  const tasks: Task[] = [];
  // Before the anchor: gaps spread over [0, anchorStart).
  const gapsBefore = splitRandomly(anchorStart - sumBefore, before.length + 1, 0, rng);
  let at = gapsBefore[0];
  before.forEach((d, i) => {
    tasks.push({ start: at, end: at + d });
    at += d + gapsBefore[i + 1];
  });
  tasks.push({ start: anchorStart, end: anchorStart + anchorLength });
  const gapsAfter = splitRandomly(DAY - anchorStart - anchorLength - sumAfter, after.length + 1, 0, rng);
  at = anchorStart + anchorLength + gapsAfter[0];
  after.forEach((d, i) => {
    tasks.push({ start: at, end: at + d });
    at += d + gapsAfter[i + 1];
  });
  return tasks;
}

/** `parts` random non-negative integers ≥ `minimum` summing to `total` (total ≥ parts·minimum). */
function splitRandomly(total: number, parts: number, minimum: number, rng: Prng): number[] {
  const spare = Math.max(0, total - parts * minimum);
  const cuts = Array.from({ length: parts - 1 }, () => rng.nextInt(spare + 1)).sort((a, b) => a - b);
  const out: number[] = [];
  let previous = 0;
  for (const cut of [...cuts, spare]) {
    out.push(minimum + cut - previous);
    previous = cut;
  }
  return out;
}

function shuffled(n: number, rng: Prng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function validate(p: PlantedParameters): void {
  const problems: string[] = [];
  if (!Number.isInteger(p.chains) || p.chains < 1) problems.push('chains must be a whole number ≥ 1');
  if (!(p.tasksPerChain >= 1)) problems.push('tasksPerChain must be ≥ 1');
  if (!Number.isInteger(p.extraWorkers) || p.extraWorkers < 0) problems.push('extraWorkers must be ≥ 0');
  if (!(p.tightness > 0 && p.tightness < 1)) problems.push('tightness must lie in (0, 1)');
  if (!(p.crossQualification >= 0 && p.crossQualification <= 1))
    problems.push('crossQualification in [0, 1]');
  if (p.tasksPerChain * 1.25 * MIN_TASK > DAY) problems.push('chains too long for the day');
  if (problems.length > 0) throw new RangeError(`planted SMPTSP parameters: ${problems.join('; ')}`);
}

/** One member of the benchmark's planted family. */
export interface PlantedFamilyMember {
  readonly name: string;
  readonly parameters: PlantedParameters;
}

/**
 * The benchmark family: 16 instances over a grid of size (240-1,200 tasks, 40-250 workers),
 * chain tightness (0.75 / 0.95), qualification sparsity (cross-qualification 0.5 % / 3 %) and
 * decoy density (extra workers with 2-4 chain pieces).
 */
export function plantedBenchmarkFamily(): PlantedFamilyMember[] {
  const sizes = [
    { chains: 30, tasksPerChain: 8, extraWorkers: 10 }, // 240 tasks, 40 workers
    { chains: 40, tasksPerChain: 12, extraWorkers: 30 }, // 480 tasks, 70 workers
    { chains: 60, tasksPerChain: 13, extraWorkers: 60 }, // 780 tasks, 120 workers
    { chains: 100, tasksPerChain: 12, extraWorkers: 150 }, // 1,200 tasks, 250 workers
  ];
  const members: PlantedFamilyMember[] = [];
  let seed = 1;
  for (const size of sizes) {
    for (const tightness of [0.75, 0.95]) {
      for (const crossQualification of [0.005, 0.03]) {
        const parameters: PlantedParameters = {
          ...size,
          tightness,
          crossQualification,
          segmentsPerExtra: crossQualification < 0.01 ? 4 : 2,
          segmentLength: Math.max(2, Math.round(size.tasksPerChain / 3)),
          seed: seed++,
        };
        const tasks = size.chains * size.tasksPerChain;
        const workers = size.chains + size.extraWorkers;
        members.push({
          name: `planted_${tasks}_${workers}_t${Math.round(tightness * 100)}_q${crossQualification * 1000}`,
          parameters,
        });
      }
    }
  }
  return members;
}

/**
 * Worker-thread side of the HiGHS runner: loads the WebAssembly build of HiGHS once and solves
 * one model per message with the typed-array model API. Progress (new incumbents, the proven
 * bound) is posted while HiGHS runs, so the main thread still has the best known answer when it
 * has to terminate this thread at the hard time limit.
 */
import { parentPort } from 'node:worker_threads';
import loadHighs, { type Highs, type HighsCallbackMap, type ModelData } from 'highs';
import type { MipModel, MipSolveOptions } from '../mip';
import type { FromHighsThread, ToHighsThread } from './protocol';

/** Progress messages at most this often (the bound changes at every node). */
const PROGRESS_INTERVAL_MS = 50;

const port = parentPort;
if (!port) throw new Error('highs.thread must run in a worker thread');

const post = (message: FromHighsThread): void => port.postMessage(message);
let runtime: Promise<Highs> | null = null;

port.on('message', (message: ToHighsThread) => {
  // The loader finds highs.wasm next to its own script in node_modules/highs/build.
  runtime ??= loadHighs();
  runtime.then(
    (highs) => {
      if (message.type === 'warm-up') post({ type: 'ready' });
      else solve(highs, message.id, message.model, message.options, message.deadline);
    },
    (error: unknown) =>
      post({ type: 'failed', id: message.type === 'solve' ? message.id : -1, message: String(error) }),
  );
});

function toModelData(highs: Highs, model: MipModel, relaxation: boolean): ModelData {
  const { objectiveSense, variableType } = highs.constants;
  return {
    numCols: model.numCols,
    numRows: model.numRows,
    sense: model.sense === 'maximize' ? objectiveSense.maximize : objectiveSense.minimize,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper,
    rowLower: model.rowLower,
    rowUpper: model.rowUpper,
    matrix: {
      format: 'csr',
      numRows: model.numRows,
      numCols: model.numCols,
      starts: model.rowStarts,
      indices: model.colIndices,
      values: model.values,
    },
    integrality:
      model.integrality && !relaxation
        ? Int32Array.from(model.integrality, (v) => (v ? variableType.integer : variableType.continuous))
        : undefined,
  };
}

function solve(highs: Highs, id: number, model: MipModel, options: MipSolveOptions, deadline: number): void {
  const startedAt = Date.now();
  const isMip = !options.relaxation && !!model.integrality?.some((v) => v === 1);
  const instance = highs.createModel(toModelData(highs, model, !!options.relaxation));
  try {
    instance.options.set({
      output_flag: false,
      time_limit: Math.max(0.001, (deadline - Date.now()) / 1000),
      random_seed: options.seed ?? 0,
      // Objectives here are integral; stop on the proven optimum, not within a relative gap.
      mip_rel_gap: 0,
    });
    if (isMip && options.start) instance.setSolution({ colValue: options.start });
    const { callbackType, modelStatus } = highs.constants;
    let lastProgress = 0;
    const overdue = (): boolean => Date.now() >= deadline;
    const callbacks: HighsCallbackMap = isMip
      ? {
          [callbackType.mipImprovingSolution](event) {
            const solution = event.data.mip_solution;
            const objective = event.data.objective_function_value;
            if (solution && objective !== undefined) post({ type: 'incumbent', id, objective, solution });
            return undefined;
          },
          [callbackType.mipInterrupt](event) {
            const now = Date.now();
            if (now - lastProgress >= PROGRESS_INTERVAL_MS && event.data.mip_dual_bound !== undefined) {
              lastProgress = now;
              post({ type: 'bound', id, bound: event.data.mip_dual_bound });
            }
            if (overdue()) event.interrupt();
            return undefined;
          },
        }
      : {
          [callbackType.simplexInterrupt](event) {
            if (overdue()) event.interrupt();
            return undefined;
          },
          [callbackType.ipmInterrupt](event) {
            if (overdue()) event.interrupt();
            return undefined;
          },
        };
    const { modelStatus: status } = instance.run(callbacks);
    const feasible = Number(instance.info.get('primal_solution_status')) === 2;
    const objective = feasible ? instance.getObjectiveValue() : null;
    const solution = feasible ? instance.getSolution().colValue : null;
    const elapsedMs = Date.now() - startedAt;
    const done = (result: Omit<Extract<FromHighsThread, { type: 'done' }>['result'], 'elapsedMs'>): void =>
      post({ type: 'done', id, result: { ...result, elapsedMs } });
    switch (status) {
      case modelStatus.optimal:
        done({ status: 'optimal', objective, solution, bound: objective });
        return;
      case modelStatus.empty:
        done({ status: 'optimal', objective: 0, solution: new Float64Array(model.numCols), bound: 0 });
        return;
      case modelStatus.infeasible:
        done({ status: 'infeasible', objective: null, solution: null, bound: infeasibleBound(model) });
        return;
      case modelStatus.unboundedOrInfeasible:
      case modelStatus.unbounded:
        done({ status: 'unbounded', objective: null, solution: null, bound: null });
        return;
      case modelStatus.timeLimit:
      case modelStatus.interrupted:
      case modelStatus.iterationLimit:
      case modelStatus.solutionLimit:
      case modelStatus.objectiveBound:
      case modelStatus.objectiveTarget: {
        const bound = isMip ? Number(instance.info.get('mip_dual_bound')) : NaN;
        done({ status: 'time-limit', objective, solution, bound: Number.isFinite(bound) ? bound : null });
        return;
      }
      case modelStatus.notSet:
      case modelStatus.loadError:
      case modelStatus.modelError:
      case modelStatus.presolveError:
      case modelStatus.solveError:
      case modelStatus.postsolveError:
      case modelStatus.unknown:
        done({ status: 'error', objective, solution, bound: null, message: `HiGHS model status ${status}` });
        return;
    }
  } catch (error) {
    post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    instance.dispose();
  }
}

/** No solution exists: every objective value is beyond any bound. */
function infeasibleBound(model: MipModel): number {
  return model.sense === 'minimize' ? Infinity : -Infinity;
}

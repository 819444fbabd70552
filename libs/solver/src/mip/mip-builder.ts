import type { MipModel } from './mip-solver';

/** Assembles a MipModel column by column and row by row (compressed rows, typed arrays). */
export class MipBuilder {
  private readonly cost: number[] = [];
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly integer: number[] = [];
  private readonly rowLower: number[] = [];
  private readonly rowUpper: number[] = [];
  private readonly rowStarts: number[] = [0];
  private readonly colIndices: number[] = [];
  private readonly values: number[] = [];

  get numCols(): number {
    return this.cost.length;
  }

  get numRows(): number {
    return this.rowLower.length;
  }

  get numNonzeros(): number {
    return this.values.length;
  }

  /** Adds a column and returns its index. */
  addColumn(cost: number, lower: number, upper: number, integer: boolean): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer ? 1 : 0);
    return this.cost.length - 1;
  }

  binary(cost: number): number {
    return this.addColumn(cost, 0, 1, true);
  }

  /** Adds lower ≤ Σ coefs[k]·x[cols[k]] ≤ upper; a column may appear only once per row. */
  addRow(lower: number, upper: number, cols: readonly number[], coefs: readonly number[] | number): number {
    for (let k = 0; k < cols.length; k++) {
      this.colIndices.push(cols[k]);
      this.values.push(typeof coefs === 'number' ? coefs : coefs[k]);
    }
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    this.rowStarts.push(this.values.length);
    return this.rowLower.length - 1;
  }

  build(sense: MipModel['sense']): MipModel {
    return {
      sense,
      numCols: this.cost.length,
      numRows: this.rowLower.length,
      colCost: Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      rowStarts: Int32Array.from(this.rowStarts),
      colIndices: Int32Array.from(this.colIndices),
      values: Float64Array.from(this.values),
      integrality: Uint8Array.from(this.integer),
    };
  }
}

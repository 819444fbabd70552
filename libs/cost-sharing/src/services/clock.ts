/** Now, injected: nothing in cost sharing reads the machine's clock directly (tests fix it). */
export type Clock = () => Date;
export const COST_SHARING_CLOCK = Symbol('COST_SHARING_CLOCK');

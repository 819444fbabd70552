import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { installLeanAsyncResourceBind } from './lean-async-resource';

describe('installLeanAsyncResourceBind', () => {
  beforeAll(() => installLeanAsyncResourceBind());

  it('is installed once: a second call keeps the same bind', () => {
    const bind = AsyncResource.prototype.bind;
    installLeanAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(bind);
    expect(
      Object.getOwnPropertyDescriptor(
        AsyncResource.prototype.bind(() => 1),
        'asyncResource',
      ),
    ).toBeUndefined();
  });

  it('runs the function in the async scope of the bind: AsyncLocalStorage sees its store', async () => {
    const als = new AsyncLocalStorage<string>();
    const bound = als.run('at bind', () => AsyncResource.bind(() => als.getStore()));
    expect(als.run('at call', () => bound())).toBe('at bind');
    expect(bound()).toBe('at bind');
    const resource = als.run('resource', () => new AsyncResource('spec'));
    const later = resource.bind(async () => {
      await new Promise((r) => setImmediate(r));
      return als.getStore();
    });
    await expect(als.run('elsewhere', () => later())).resolves.toBe('resource');
  });

  it("passes the arguments and the return value, with thisArg or else the caller's this", () => {
    const resource = new AsyncResource('spec');
    function describeCall(this: unknown, a: number, b: number) {
      return { self: this, sum: a + b };
    }
    const self = { name: 'thisArg' };
    // @types/node declares bind(fn) only; Node's bind takes thisArg as well.
    const bindWithThis = resource.bind.bind(resource) as (
      fn: typeof describeCall,
      thisArg: unknown,
    ) => typeof describeCall;
    expect(bindWithThis(describeCall, self)(2, 3)).toEqual({ self, sum: 5 });
    const caller = { name: 'caller', call: resource.bind(describeCall) };
    expect(caller.call(4, 5)).toEqual({ self: caller, sum: 9 });
    expect(resource.bind(describeCall).length).toBe(2);
    expect(AsyncResource.bind((a: number, b: number, c: number) => a + b + c).length).toBe(3);
  });

  it('lets an error of the function reach the caller', () => {
    const bound = new AsyncResource('spec').bind(() => {
      throw new RangeError('from the bound function');
    });
    expect(() => bound()).toThrow(RangeError);
  });

  it("refuses what is not a function with Node's own error", () => {
    const resource = new AsyncResource('spec');
    expect(() => resource.bind(42 as unknown as () => void)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });
});

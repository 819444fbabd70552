import { JobSlots } from './job-slots';

describe('JobSlots', () => {
  it('runs at most `size` jobs at once, the rest in order as slots free up', async () => {
    const slots = new JobSlots(2);
    const release: (() => void)[] = [];
    const started: number[] = [];
    let peak = 0;
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      slots.run(async () => {
        started.push(i);
        peak = Math.max(peak, slots.inUse);
        await new Promise<void>((resolve) => release.push(resolve));
        return i;
      }),
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    expect(started).toEqual([0, 1]);
    release.shift()!();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    while (release.length > 0 || started.length < 5) {
      release.shift()?.();
      await settle();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(slots.inUse).toBe(0);
  });

  it('frees the slot when a job fails', async () => {
    const slots = new JobSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(slots.inUse).toBe(0);
  });
});

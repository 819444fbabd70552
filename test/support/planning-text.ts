const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Ids of the response's own objects (a run, a proposal, the pool asked about) need no name. */
const OWN_IDS = new Set(['id', 'runId', 'poolId']);
/** Fields meant for people. */
const TEXT = new Set(['text', 'explanation', 'label', 'reasonText', 'requestLabel', 'bookingLabel']);

/**
 * A planning response for people: no epoch number anywhere, no bare id in any text, every id
 * with its name (or label) beside it, every instant with its Europe/Berlin form beside it.
 */
export function expectNamedAndIsoOnly(body: unknown): void {
  const problems: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (Math.abs(value) >= 1e9) problems.push(`${path}: ${value} looks like an epoch number`);
      return;
    }
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(o)) {
      const at = `${path}.${key}`;
      if (typeof v === 'string') {
        if (TEXT.has(key) && UUID.test(v)) problems.push(`${at}: text carries an id: ${v}`);
        if (key.endsWith('Id') && !OWN_IDS.has(key) && UUID.test(v)) {
          const stem = key.slice(0, -2);
          if (!(`${stem}Name` in o) && !(`${stem}Label` in o)) problems.push(`${at}: id without a name`);
        }
        if (
          key === 'id' &&
          path !== '' &&
          !/proposals\[\d+\]$/.test(path) &&
          !('name' in o) &&
          !('label' in o)
        )
          problems.push(`${at}: id without a name`);
        if (/^\d{4}-\d{2}-\d{2}T/.test(v) && v.endsWith('Z') && !key.endsWith('Local')) {
          const local = key === 'instant' ? 'local' : `${key}Local`;
          if (!(local in o)) problems.push(`${at}: instant without its local form`);
        }
      }
      walk(v, at);
    }
  };
  walk(body, '');
  expect(problems).toEqual([]);
}

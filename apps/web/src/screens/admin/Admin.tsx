import '../cockpit/coordination.css';
import { FormEvent, ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { berlinDay, formatCents, formatDate, formatDateTime, formatNumber } from '../../format';
import { Link } from '../../router';
import { usePageTitle } from '../../shell/page-title';
import {
  ConfirmDialog,
  ErrorText,
  Loaded,
  Municipality,
  Pool,
  useLanguage,
  useMunicipalities,
  useParam,
  usePools,
} from '../cockpit/shared';
import { AdminResource, Member, Token, useChange, useList, User, Webhook, WEBHOOK_EVENTS } from './admin-api';

const SECTIONS = ['gemeinden', 'verbuende', 'ressourcen', 'benutzer', 'webhooks', 'warteschlangen'] as const;
type Section = (typeof SECTIONS)[number];
const ROLES = ['admin', 'coordinator', 'yard-manager', 'finance', 'viewer'] as const;

function Field({
  id,
  label,
  children,
  hint,
}: {
  id: string;
  label: string;
  children: ReactNode;
  hint?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A form's outcome in words: the error next to the button, or what was done. */
function Outcome({ error, done }: { error: unknown; done: string | null }) {
  return (
    <>
      <ErrorText error={error} />
      <p className="notice" role="status" aria-live="polite">
        {done ?? ''}
      </p>
    </>
  );
}

function names(list: { id: string; name: string }[] | undefined): Map<string, string> {
  return new Map((list ?? []).map((x) => [x.id, x.name]));
}

function Municipalities() {
  const { t } = useTranslation();
  const list = useMunicipalities();
  const create = useChange<Record<string, unknown>>('POST', () => '/municipalities', true);
  const [form, setForm] = useState({ name: '', ags: '', population: '', lat: '', lon: '', state: 'HE' });
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    create.mutate(
      {
        name: form.name,
        ags: form.ags,
        population: Number(form.population),
        location: { lat: Number(form.lat.replace(',', '.')), lon: Number(form.lon.replace(',', '.')) },
        state: form.state,
      },
      { onSuccess: () => setDone(t('admin.created', { name: form.name })) },
    );
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <Loaded query={list}>
        {(items) => (
          <div className="table-scroll" tabIndex={0}>
            <table>
              <caption>{t('admin.municipalities.caption', { count: items.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.name')}</th>
                  <th scope="col">{t('admin.municipalities.ags')}</th>
                  <th scope="col">{t('admin.municipalities.population')}</th>
                  <th scope="col">{t('admin.municipalities.state')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    <td>{m.ags}</td>
                    <td>{formatNumber(m.population, 'de', 0)}</td>
                    <td>{m.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <h3>{t('admin.municipalities.add')}</h3>
      <form onSubmit={submit} className="grid-form" noValidate>
        <Field id="m-name" label={t('admin.name')}>
          <input id="m-name" value={form.name} onChange={set('name')} required />
        </Field>
        <Field id="m-ags" label={t('admin.municipalities.ags')} hint={t('admin.municipalities.agsHint')}>
          <input
            id="m-ags"
            value={form.ags}
            onChange={set('ags')}
            inputMode="numeric"
            aria-describedby="m-ags-hint"
          />
        </Field>
        <Field id="m-pop" label={t('admin.municipalities.population')}>
          <input id="m-pop" value={form.population} onChange={set('population')} inputMode="numeric" />
        </Field>
        <Field id="m-lat" label={t('admin.municipalities.lat')}>
          <input id="m-lat" value={form.lat} onChange={set('lat')} inputMode="decimal" />
        </Field>
        <Field id="m-lon" label={t('admin.municipalities.lon')}>
          <input id="m-lon" value={form.lon} onChange={set('lon')} inputMode="decimal" />
        </Field>
        <Field id="m-state" label={t('admin.municipalities.state')}>
          <input id="m-state" value={form.state} onChange={set('state')} maxLength={2} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('admin.municipalities.add')}
          </button>
        </div>
      </form>
      <Outcome error={create.error} done={done} />
    </>
  );
}

function Pools({ pools, towns }: { pools: Pool[]; towns: Municipality[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [selected, setSelected] = useState(pools[0]?.id ?? '');
  const members = useList<Member>('members', `/pools/${selected}/members`, {
    enabled: Boolean(selected),
    paged: false,
  });
  const createPool = useChange<Record<string, unknown>>('POST', () => '/pools', true);
  const addMember = useChange<Record<string, unknown>>(
    'POST',
    (b) => `/pools/${String(b._pool)}/members`,
    true,
  );
  const [pool, setPool] = useState({ name: '', fieldOfAction: 'building-yard', key: 'population' });
  const [member, setMember] = useState({ municipalityId: '', joinedOn: berlinDay(new Date()), leftOn: '' });
  const [done, setDone] = useState<string | null>(null);
  const townName = names(towns);
  return (
    <>
      <div className="table-scroll" tabIndex={0}>
        <table>
          <caption>{t('admin.pools.caption', { count: pools.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.pools.field')}</th>
              <th scope="col">{t('admin.pools.key')}</th>
              <th scope="col">{t('admin.pools.overhead')}</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{p.fieldOfAction}</td>
                <td>{t(`admin.keys.${p.costSharing.key}`, { defaultValue: p.costSharing.key })}</td>
                <td>{formatCents(p.costSharing.annualOverheadCents ?? 0, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('admin.pools.add')}</h3>
      <form
        className="grid-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          createPool.mutate(
            { name: pool.name, fieldOfAction: pool.fieldOfAction, costSharing: { key: pool.key } },
            { onSuccess: () => setDone(t('admin.created', { name: pool.name })) },
          );
        }}
      >
        <Field id="p-name" label={t('admin.name')}>
          <input id="p-name" value={pool.name} onChange={(e) => setPool({ ...pool, name: e.target.value })} />
        </Field>
        <Field id="p-field" label={t('admin.pools.field')}>
          <input
            id="p-field"
            value={pool.fieldOfAction}
            onChange={(e) => setPool({ ...pool, fieldOfAction: e.target.value })}
          />
        </Field>
        <Field id="p-key" label={t('admin.pools.key')}>
          <select id="p-key" value={pool.key} onChange={(e) => setPool({ ...pool, key: e.target.value })}>
            {['population', 'equal', 'usage'].map((k) => (
              <option key={k} value={k}>
                {t(`admin.keys.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={createPool.isPending}>
            {t('admin.pools.add')}
          </button>
        </div>
      </form>
      <Outcome error={createPool.error} done={null} />
      <h3>{t('admin.pools.members')}</h3>
      <Field id="members-of" label={t('cockpitShared.pool')}>
        <select id="members-of" value={selected} onChange={(e) => setSelected(e.target.value)}>
          {pools.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Loaded query={members}>
        {(items) => (
          <div className="table-scroll" tabIndex={0}>
            <table>
              <caption className="sr-only">{t('admin.pools.members')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.municipality')}</th>
                  <th scope="col">{t('admin.pools.joined')}</th>
                  <th scope="col">{t('admin.pools.left')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">{townName.get(m.municipalityId) ?? '—'}</th>
                    <td>{formatDate(`${m.joinedOn}T12:00:00Z`, language)}</td>
                    <td>{m.leftOn ? formatDate(`${m.leftOn}T12:00:00Z`, language) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <form
        className="grid-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          addMember.mutate(
            { _pool: selected, ...member },
            {
              onSuccess: () =>
                setDone(t('admin.pools.memberAdded', { name: townName.get(member.municipalityId) })),
            },
          );
        }}
      >
        <Field id="mem-town" label={t('admin.municipality')}>
          <select
            id="mem-town"
            value={member.municipalityId}
            onChange={(e) => setMember({ ...member, municipalityId: e.target.value })}
          >
            <option value="">{t('cockpit.whatIf.choose')}</option>
            {towns.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="mem-joined" label={t('admin.pools.joined')}>
          <input
            id="mem-joined"
            type="date"
            value={member.joinedOn}
            onChange={(e) => setMember({ ...member, joinedOn: e.target.value })}
          />
        </Field>
        <Field id="mem-left" label={t('admin.pools.leftOptional')}>
          <input
            id="mem-left"
            type="date"
            value={member.leftOn}
            onChange={(e) => setMember({ ...member, leftOn: e.target.value })}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={addMember.isPending}>
            {t('admin.pools.addMember')}
          </button>
        </div>
      </form>
      <Outcome error={addMember.error} done={done} />
    </>
  );
}

function Resources({ pools, towns }: { pools: Pool[]; towns: Municipality[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const resources = useList<AdminResource>('resources', '/resources');
  const inspect = useChange<Record<string, unknown>>(
    'POST',
    (b) => `/resources/${String(b._resource)}/inspections`,
    true,
  );
  const [form, setForm] = useState({ resource: '', inspectedOn: berlinDay(new Date()), result: 'passed' });
  const [done, setDone] = useState<string | null>(null);
  const poolName = names(pools);
  const townName = names(towns);
  return (
    <Loaded query={resources}>
      {(items) => {
        const machines = items.filter((r) => r.kind === 'machine');
        return (
          <>
            <div className="table-scroll" tabIndex={0}>
              <table>
                <caption>{t('admin.resources.caption', { count: items.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.name')}</th>
                    <th scope="col">{t('admin.resources.type')}</th>
                    <th scope="col">{t('cockpitShared.pool')}</th>
                    <th scope="col">{t('admin.resources.home')}</th>
                    <th scope="col">{t('admin.resources.rate')}</th>
                    <th scope="col">{t('admin.resources.inspection')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        {r.name}
                        {!r.active && <span className="tag"> {t('admin.resources.retired')}</span>}
                      </th>
                      <td>{t(`types.${r.type}`, { defaultValue: r.type })}</td>
                      <td>{poolName.get(r.poolId) ?? '—'}</td>
                      <td>{townName.get(r.homeMunicipalityId) ?? '—'}</td>
                      <td>{formatCents(r.hourlyRateCents, language)}</td>
                      <td>
                        {r.nextInspectionDue ? formatDate(`${r.nextInspectionDue}T12:00:00Z`, language) : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3>{t('admin.resources.record')}</h3>
            <form
              className="grid-form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                setDone(null);
                const name = machines.find((m) => m.id === form.resource)?.name ?? '';
                inspect.mutate(
                  { _resource: form.resource, inspectedOn: form.inspectedOn, result: form.result },
                  { onSuccess: () => setDone(t('admin.resources.recorded', { name })) },
                );
              }}
            >
              <Field id="i-resource" label={t('admin.resources.machine')}>
                <select
                  id="i-resource"
                  value={form.resource}
                  onChange={(e) => setForm({ ...form, resource: e.target.value })}
                >
                  <option value="">{t('cockpit.whatIf.choose')}</option>
                  {machines.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="i-date" label={t('admin.resources.inspectedOn')}>
                <input
                  id="i-date"
                  type="date"
                  value={form.inspectedOn}
                  onChange={(e) => setForm({ ...form, inspectedOn: e.target.value })}
                />
              </Field>
              <Field id="i-result" label={t('admin.resources.result')}>
                <select
                  id="i-result"
                  value={form.result}
                  onChange={(e) => setForm({ ...form, result: e.target.value })}
                >
                  {['passed', 'passed-with-defects', 'failed'].map((r) => (
                    <option key={r} value={r}>
                      {t(`admin.resources.results.${r}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <div className="form-actions">
                <button type="submit" className="primary" disabled={inspect.isPending || !form.resource}>
                  {t('admin.resources.record')}
                </button>
              </div>
            </form>
            <Outcome error={inspect.error} done={done} />
          </>
        );
      }}
    </Loaded>
  );
}

/** A secret shown once (a new token, a webhook's signing secret), with what to do with it. */
function Secret({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <div className="notice secret" role="status">
      <p>
        <strong>{label}</strong> {t('admin.secretOnce')}
      </p>
      <code>{value}</code>
    </div>
  );
}

function Users({ pools, towns }: { pools: Pool[]; towns: Municipality[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const users = useList<User>('users', '/users');
  const [selected, setSelected] = useState('');
  const tokens = useList<Token>('tokens', `/users/${selected}/tokens`, {
    enabled: Boolean(selected),
    paged: false,
  });
  const create = useChange<Record<string, unknown>, { token: string; name: string }>(
    'POST',
    () => '/users',
    true,
  );
  const password = useChange<Record<string, unknown>>('PUT', (b) => `/users/${String(b._user)}/password`);
  const issue = useChange<Record<string, unknown>, { token: string }>(
    'POST',
    (b) => `/users/${String(b._user)}/tokens`,
    true,
  );
  const revoke = useChange<Record<string, unknown>>('POST', (b) => `/tokens/${String(b._token)}/revoke`);
  const [form, setForm] = useState({
    name: '',
    email: '',
    role: 'yard-manager',
    municipalityId: '',
    poolId: '',
  });
  const [newPassword, setNewPassword] = useState('');
  const [tokenName, setTokenName] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [passwordDone, setPasswordDone] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [tokenSecret, setTokenSecret] = useState<{ label: string; value: string } | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const townName = names(towns);
  const userName = names(users.data);

  return (
    <>
      <Loaded query={users}>
        {(items) => (
          <div className="table-scroll" tabIndex={0}>
            <table>
              <caption>{t('admin.users.caption', { count: items.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.name')}</th>
                  <th scope="col">{t('admin.users.email')}</th>
                  <th scope="col">{t('admin.users.role')}</th>
                  <th scope="col">{t('admin.municipality')}</th>
                  <th scope="col">{t('admin.users.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.name}</th>
                    <td>{u.email}</td>
                    <td>{t(`roles.${u.role}`)}</td>
                    <td>{u.municipalityId ? (townName.get(u.municipalityId) ?? '—') : '—'}</td>
                    <td>{u.disabledAt ? t('admin.users.disabled') : t('admin.users.active')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <h3>{t('admin.users.add')}</h3>
      <form
        className="grid-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          create.mutate(
            {
              name: form.name,
              email: form.email,
              role: form.role,
              municipalityId: form.role === 'admin' ? undefined : form.municipalityId || undefined,
              poolIds: form.role === 'coordinator' && form.poolId ? [form.poolId] : undefined,
            },
            {
              onSuccess: (u) => {
                setDone(t('admin.created', { name: form.name }));
                setSecret({ label: t('admin.users.tokenOf', { name: form.name }), value: u.token });
              },
            },
          );
        }}
      >
        <Field id="u-name" label={t('admin.name')}>
          <input id="u-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        <Field id="u-email" label={t('admin.users.email')}>
          <input
            id="u-email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </Field>
        <Field id="u-role" label={t('admin.users.role')}>
          <select id="u-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="u-town" label={t('admin.municipality')}>
          <select
            id="u-town"
            value={form.municipalityId}
            onChange={(e) => setForm({ ...form, municipalityId: e.target.value })}
          >
            <option value="">—</option>
            {towns.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="u-pool" label={t('admin.users.coordinates')}>
          <select
            id="u-pool"
            value={form.poolId}
            onChange={(e) => setForm({ ...form, poolId: e.target.value })}
          >
            <option value="">—</option>
            {pools.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('admin.users.add')}
          </button>
        </div>
      </form>
      <Outcome error={create.error} done={done} />
      {secret && <Secret label={secret.label} value={secret.value} />}

      <h3>{t('admin.users.oneUser')}</h3>
      <Field id="u-selected" label={t('admin.users.choose')}>
        <select id="u-selected" value={selected} onChange={(e) => setSelected(e.target.value)}>
          <option value="">—</option>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </select>
      </Field>
      {selected && (
        <>
          <form
            className="grid-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setPasswordDone(null);
              password.mutate(
                { _user: selected, password: newPassword },
                {
                  onSuccess: () => {
                    setNewPassword('');
                    setPasswordDone(t('admin.users.passwordSet', { name: userName.get(selected) }));
                  },
                },
              );
            }}
          >
            <Field id="u-password" label={t('admin.users.newPassword')} hint={t('profile.newPasswordHint')}>
              <input
                id="u-password"
                type="password"
                autoComplete="new-password"
                aria-describedby="u-password-hint"
                value={newPassword}
                onChange={(e) => setNewPassword(e.target.value)}
              />
            </Field>
            <div className="form-actions">
              <button type="submit" className="primary" disabled={password.isPending}>
                {t('admin.users.setPassword')}
              </button>
            </div>
          </form>
          <Outcome error={password.error} done={passwordDone} />
          <h4>{t('admin.users.tokens')}</h4>
          <Loaded query={tokens}>
            {(items) =>
              items.length === 0 ? (
                <p>{t('admin.users.noTokens')}</p>
              ) : (
                <div className="table-scroll" tabIndex={0}>
                  <table>
                    <caption className="sr-only">{t('admin.users.tokens')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('admin.name')}</th>
                        <th scope="col">{t('admin.users.status')}</th>
                        <th scope="col">{t('admin.users.expires')}</th>
                        <th scope="col">{t('admin.users.lastUsed')}</th>
                        <th scope="col">
                          <span className="sr-only">{t('admin.actions')}</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((k) => (
                        <tr key={k.id}>
                          <th scope="row">{k.name}</th>
                          <td>{t(`admin.users.tokenStatus.${k.status}`)}</td>
                          <td>{k.expiresAt ? formatDate(k.expiresAt, language) : '—'}</td>
                          <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, language) : '—'}</td>
                          <td>
                            {k.status === 'active' && (
                              <button type="button" className="secondary" onClick={() => setRevoking(k)}>
                                {t('admin.users.revoke', { name: k.name })}
                              </button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
            }
          </Loaded>
          <form
            className="grid-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              issue.mutate(
                { _user: selected, name: tokenName },
                {
                  onSuccess: (k) => {
                    setTokenSecret({
                      label: t('admin.users.tokenNamed', { name: tokenName }),
                      value: k.token,
                    });
                    setTokenName('');
                  },
                },
              );
            }}
          >
            <Field id="t-name" label={t('admin.users.tokenName')}>
              <input id="t-name" value={tokenName} onChange={(e) => setTokenName(e.target.value)} />
            </Field>
            <div className="form-actions">
              <button type="submit" className="primary" disabled={issue.isPending}>
                {t('admin.users.issue')}
              </button>
            </div>
          </form>
          <Outcome error={issue.error ?? revoke.error} done={null} />
          {tokenSecret && <Secret label={tokenSecret.label} value={tokenSecret.value} />}
          <ConfirmDialog
            open={revoking !== null}
            title={t('admin.users.revokeTitle', { name: revoking?.name ?? '' })}
            confirmLabel={t('admin.users.revokeConfirm')}
            onCancel={() => setRevoking(null)}
            onConfirm={() => {
              if (revoking) revoke.mutate({ _token: revoking.id });
              setRevoking(null);
            }}
          >
            <p>{t('admin.users.revokeText')}</p>
          </ConfirmDialog>
        </>
      )}
    </>
  );
}

function Webhooks({ pools }: { pools: Pool[] }) {
  const { t } = useTranslation();
  const hooks = useList<Webhook>('webhooks', '/webhooks');
  const create = useChange<Record<string, unknown>, { secret: string }>('POST', () => '/webhooks', true);
  const remove = useChange<Record<string, unknown>>('DELETE', (b) => `/webhooks/${String(b._hook)}`);
  const [form, setForm] = useState({ url: '', description: '', poolId: '', events: [...WEBHOOK_EVENTS] });
  const [secret, setSecret] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  return (
    <>
      <Loaded query={hooks}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('admin.webhooks.none')}</p>
          ) : (
            <div className="table-scroll" tabIndex={0}>
              <table>
                <caption>{t('admin.webhooks.caption', { count: items.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.webhooks.url')}</th>
                    <th scope="col">{t('admin.webhooks.events')}</th>
                    <th scope="col">{t('admin.webhooks.scope')}</th>
                    <th scope="col">{t('admin.users.status')}</th>
                    <th scope="col">
                      <span className="sr-only">{t('admin.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((h) => (
                    <tr key={h.id}>
                      <th scope="row">
                        {h.url}
                        {h.description && <span className="hint"> ({h.description})</span>}
                      </th>
                      <td>{h.events.join(', ')}</td>
                      <td>{h.poolName ?? h.municipalityName ?? t('admin.webhooks.installation')}</td>
                      <td>
                        {t(`admin.webhooks.status.${h.status}`)}
                        {h.lastError && <span className="hint"> – {h.lastError}</span>}
                      </td>
                      <td>
                        <button type="button" className="secondary" onClick={() => setRemoving(h)}>
                          {t('admin.webhooks.remove')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      <h3>{t('admin.webhooks.add')}</h3>
      <form
        className="grid-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            {
              url: form.url,
              events: form.events,
              description: form.description || undefined,
              poolId: form.poolId || undefined,
            },
            { onSuccess: (h) => setSecret(h.secret) },
          );
        }}
      >
        <Field id="w-url" label={t('admin.webhooks.url')} hint={t('admin.webhooks.urlHint')}>
          <input
            id="w-url"
            type="url"
            aria-describedby="w-url-hint"
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
          />
        </Field>
        <Field id="w-desc" label={t('admin.webhooks.description')}>
          <input
            id="w-desc"
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </Field>
        <Field id="w-pool" label={t('admin.webhooks.pool')}>
          <select
            id="w-pool"
            value={form.poolId}
            onChange={(e) => setForm({ ...form, poolId: e.target.value })}
          >
            <option value="">{t('admin.webhooks.installation')}</option>
            {pools.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="field checkbox-group">
          <legend>{t('admin.webhooks.events')}</legend>
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev}>
              <input
                type="checkbox"
                checked={form.events.includes(ev)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    events: e.target.checked ? [...form.events, ev] : form.events.filter((x) => x !== ev),
                  })
                }
              />{' '}
              {t(`admin.webhooks.event.${ev.replace('.', '-')}`)}
            </label>
          ))}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('admin.webhooks.add')}
          </button>
        </div>
      </form>
      <Outcome error={create.error ?? remove.error} done={null} />
      {secret && <Secret label={t('admin.webhooks.secret')} value={secret} />}
      <ConfirmDialog
        open={removing !== null}
        title={t('admin.webhooks.removeTitle')}
        confirmLabel={t('admin.webhooks.remove')}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate({ _hook: removing.id });
          setRemoving(null);
        }}
      >
        <p>{removing?.url}</p>
      </ConfirmDialog>
    </>
  );
}

/**
 * The installation's records: municipalities, pools and their members, resources and their
 * inspections, users with passwords and tokens, webhooks, and the way to the queue dashboard.
 */
export default function Admin() {
  const { t } = useTranslation();
  const [param, setParam] = useParam('bereich');
  const section: Section = SECTIONS.includes(param as Section) ? (param as Section) : 'gemeinden';
  usePageTitle(`${t(`admin.sections.${section}`)} – ${t('admin.title')}`);
  const pools = usePools();
  const towns = useMunicipalities();
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <nav aria-label={t('admin.sectionsLabel')} className="sub-nav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <Link
                to={`/verwaltung?bereich=${s}`}
                aria-current={s === section ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setParam(s);
                }}
              >
                {t(`admin.sections.${s}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="admin-section">
        <h2 id="admin-section">{t(`admin.sections.${section}`)}</h2>
        {section === 'gemeinden' && <Municipalities />}
        {section === 'warteschlangen' && (
          <p>
            {t('admin.queues.text')} <a href="/admin/queues">{t('admin.queues.link')}</a>
          </p>
        )}
        {section !== 'gemeinden' && section !== 'warteschlangen' && (
          <Loaded query={pools}>
            {(poolList) => (
              <Loaded query={towns}>
                {(townList) => (
                  <>
                    {section === 'verbuende' && <Pools pools={poolList} towns={townList} />}
                    {section === 'ressourcen' && <Resources pools={poolList} towns={townList} />}
                    {section === 'benutzer' && <Users pools={poolList} towns={townList} />}
                    {section === 'webhooks' && <Webhooks pools={poolList} />}
                  </>
                )}
              </Loaded>
            )}
          </Loaded>
        )}
      </section>
    </>
  );
}

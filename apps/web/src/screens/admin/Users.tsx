import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../format';
import { ConfirmDialog, Loaded, Municipality, Pool, useLanguage } from '../cockpit/shared';
import { Token, useChange, useList, User } from './admin-api';
import {
  AdminForm,
  choicesOf,
  DataTable,
  Outcome,
  Secret,
  SelectField,
  TextField,
  names,
  useFormState,
} from './admin-ui';

const ROLES = ['admin', 'coordinator', 'yard-manager', 'finance', 'viewer'] as const;

interface ShownSecret {
  label: string;
  value: string;
}

/** The users with their roles, a form for a new user (with a first token), and one user's password and tokens. */
export function Users({ pools, towns }: { pools: Pool[]; towns: Municipality[] }) {
  const { t } = useTranslation();
  const users = useList<User>('users', '/users');
  const [selected, setSelected] = useState('');
  const create = useChange<Record<string, unknown>, { token: string; name: string }>(
    'POST',
    () => '/users',
    true,
  );
  const [form, set] = useFormState({
    name: '',
    email: '',
    role: 'yard-manager',
    municipalityId: '',
    poolId: '',
  });
  const [done, setDone] = useState<string | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const townName = names(towns);

  return (
    <>
      <Loaded query={users}>
        {(items) => (
          <DataTable<User>
            caption={t('admin.users.caption', { count: items.length })}
            rows={items}
            columns={[
              { header: t('admin.name'), cell: (u) => u.name },
              { header: t('admin.users.email'), cell: (u) => u.email },
              { header: t('admin.users.role'), cell: (u) => t(`roles.${u.role}`) },
              {
                header: t('admin.municipality'),
                cell: (u) => (u.municipalityId ? (townName.get(u.municipalityId) ?? '—') : '—'),
              },
              {
                header: t('admin.users.status'),
                cell: (u) => (u.disabledAt ? t('admin.users.disabled') : t('admin.users.active')),
              },
            ]}
          />
        )}
      </Loaded>
      <h3>{t('admin.users.add')}</h3>
      <AdminForm
        submitLabel={t('admin.users.add')}
        pending={create.isPending}
        onSubmit={() => {
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
        <TextField id="u-name" label={t('admin.name')} value={form.name} onChange={set('name')} />
        <TextField
          id="u-email"
          type="email"
          label={t('admin.users.email')}
          value={form.email}
          onChange={set('email')}
        />
        <SelectField
          id="u-role"
          label={t('admin.users.role')}
          value={form.role}
          onChange={set('role')}
          choices={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        <SelectField
          id="u-town"
          label={t('admin.municipality')}
          value={form.municipalityId}
          onChange={set('municipalityId')}
          empty="—"
          choices={choicesOf(towns)}
        />
        <SelectField
          id="u-pool"
          label={t('admin.users.coordinates')}
          value={form.poolId}
          onChange={set('poolId')}
          empty="—"
          choices={choicesOf(pools)}
        />
      </AdminForm>
      <Outcome error={create.error} done={done} />
      {secret && <Secret label={secret.label} value={secret.value} />}

      <h3>{t('admin.users.oneUser')}</h3>
      <SelectField
        id="u-selected"
        label={t('admin.users.choose')}
        value={selected}
        onChange={setSelected}
        empty="—"
        choices={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
      />
      {selected && (
        <UserAccess key={selected} userId={selected} userName={names(users.data).get(selected) ?? ''} />
      )}
    </>
  );
}

/** One user's password and API tokens: set a password, issue a token (shown once), revoke one. */
function UserAccess({ userId, userName }: { userId: string; userName: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const tokens = useList<Token>('tokens', `/users/${userId}/tokens`, { paged: false });
  const password = useChange<Record<string, unknown>>('PUT', (b) => `/users/${String(b._user)}/password`);
  const issue = useChange<Record<string, unknown>, { token: string }>(
    'POST',
    (b) => `/users/${String(b._user)}/tokens`,
    true,
  );
  const revoke = useChange<Record<string, unknown>>('POST', (b) => `/tokens/${String(b._token)}/revoke`);
  const [newPassword, setNewPassword] = useState('');
  const [passwordDone, setPasswordDone] = useState<string | null>(null);
  const [tokenName, setTokenName] = useState('');
  const [tokenSecret, setTokenSecret] = useState<ShownSecret | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  return (
    <>
      <AdminForm
        submitLabel={t('admin.users.setPassword')}
        pending={password.isPending}
        onSubmit={() => {
          setPasswordDone(null);
          password.mutate(
            { _user: userId, password: newPassword },
            {
              onSuccess: () => {
                setNewPassword('');
                setPasswordDone(t('admin.users.passwordSet', { name: userName }));
              },
            },
          );
        }}
      >
        <TextField
          id="u-password"
          type="password"
          autoComplete="new-password"
          label={t('admin.users.newPassword')}
          hint={t('profile.newPasswordHint')}
          value={newPassword}
          onChange={setNewPassword}
        />
      </AdminForm>
      <Outcome error={password.error} done={passwordDone} />
      <h4>{t('admin.users.tokens')}</h4>
      <Loaded query={tokens}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('admin.users.noTokens')}</p>
          ) : (
            <DataTable<Token>
              caption={t('admin.users.tokens')}
              hiddenCaption
              rows={items}
              columns={[
                { header: t('admin.name'), cell: (k) => k.name },
                { header: t('admin.users.status'), cell: (k) => t(`admin.users.tokenStatus.${k.status}`) },
                {
                  header: t('admin.users.expires'),
                  cell: (k) => (k.expiresAt ? formatDate(k.expiresAt, language) : '—'),
                },
                {
                  header: t('admin.users.lastUsed'),
                  cell: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt, language) : '—'),
                },
                {
                  header: '',
                  cell: (k) =>
                    k.status === 'active' && (
                      <button type="button" className="secondary" onClick={() => setRevoking(k)}>
                        {t('admin.users.revoke', { name: k.name })}
                      </button>
                    ),
                },
              ]}
            />
          )
        }
      </Loaded>
      <AdminForm
        submitLabel={t('admin.users.issue')}
        pending={issue.isPending}
        onSubmit={() =>
          issue.mutate(
            { _user: userId, name: tokenName },
            {
              onSuccess: (k) => {
                setTokenSecret({ label: t('admin.users.tokenNamed', { name: tokenName }), value: k.token });
                setTokenName('');
              },
            },
          )
        }
      >
        <TextField id="t-name" label={t('admin.users.tokenName')} value={tokenName} onChange={setTokenName} />
      </AdminForm>
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
  );
}

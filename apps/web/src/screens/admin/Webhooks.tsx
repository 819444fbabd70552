import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, Loaded, Pool } from '../cockpit/shared';
import { useChange, useList, Webhook, WEBHOOK_EVENTS } from './admin-api';
import { AdminForm, choicesOf, DataTable, Outcome, Secret, SelectField, TextField } from './admin-ui';

/** The webhooks with their status, a form for a new one (its signing secret shown once), and removal. */
export function Webhooks({ pools }: { pools: Pool[] }) {
  const { t } = useTranslation();
  const hooks = useList<Webhook>('webhooks', '/webhooks');
  const create = useChange<Record<string, unknown>, { secret: string }>('POST', () => '/webhooks', true);
  const remove = useChange<Record<string, unknown>>('DELETE', (b) => `/webhooks/${String(b._hook)}`);
  const [form, setForm] = useState({ url: '', description: '', poolId: '', events: [...WEBHOOK_EVENTS] });
  const [secret, setSecret] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const set = (key: 'url' | 'description' | 'poolId') => (value: string) =>
    setForm({ ...form, [key]: value });
  return (
    <>
      <Loaded query={hooks}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('admin.webhooks.none')}</p>
          ) : (
            <DataTable<Webhook>
              caption={t('admin.webhooks.caption', { count: items.length })}
              rows={items}
              columns={[
                {
                  header: t('admin.webhooks.url'),
                  cell: (h) => (
                    <>
                      {h.url}
                      {h.description && <span className="hint"> ({h.description})</span>}
                    </>
                  ),
                },
                { header: t('admin.webhooks.events'), cell: (h) => h.events.join(', ') },
                {
                  header: t('admin.webhooks.scope'),
                  cell: (h) => h.poolName ?? h.municipalityName ?? t('admin.webhooks.installation'),
                },
                {
                  header: t('admin.users.status'),
                  cell: (h) => (
                    <>
                      {t(`admin.webhooks.status.${h.status}`)}
                      {h.lastError && <span className="hint"> – {h.lastError}</span>}
                    </>
                  ),
                },
                {
                  header: '',
                  cell: (h) => (
                    <button type="button" className="secondary" onClick={() => setRemoving(h)}>
                      {t('admin.webhooks.remove')}
                    </button>
                  ),
                },
              ]}
            />
          )
        }
      </Loaded>
      <h3>{t('admin.webhooks.add')}</h3>
      <AdminForm
        submitLabel={t('admin.webhooks.add')}
        pending={create.isPending}
        onSubmit={() =>
          create.mutate(
            {
              url: form.url,
              events: form.events,
              description: form.description || undefined,
              poolId: form.poolId || undefined,
            },
            { onSuccess: (h) => setSecret(h.secret) },
          )
        }
      >
        <TextField
          id="w-url"
          type="url"
          label={t('admin.webhooks.url')}
          hint={t('admin.webhooks.urlHint')}
          value={form.url}
          onChange={set('url')}
        />
        <TextField
          id="w-desc"
          label={t('admin.webhooks.description')}
          value={form.description}
          onChange={set('description')}
        />
        <SelectField
          id="w-pool"
          label={t('admin.webhooks.pool')}
          value={form.poolId}
          onChange={set('poolId')}
          empty={t('admin.webhooks.installation')}
          choices={choicesOf(pools)}
        />
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
      </AdminForm>
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

import { FormEvent, InputHTMLAttributes, ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../cockpit/shared';

/** A labelled form field with an optional hint below it (`{id}-hint`). */
export function Field({
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

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

/** A text (or date, email, password …) input in a labelled field; the hint is linked by aria-describedby. */
export function TextField({
  id,
  label,
  hint,
  value,
  onChange,
  ...input
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
} & InputProps) {
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...input}
      />
    </Field>
  );
}

export interface Choice {
  value: string;
  label: string;
}

/** A select in a labelled field; `empty` adds a first choice with the value ''. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  choices,
  empty,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  choices: Choice[];
  empty?: string;
}) {
  return (
    <Field id={id} label={label}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Records with an id and a name as the choices of a select. */
export function choicesOf(list: { id: string; name: string }[]): Choice[] {
  return list.map((x) => ({ value: x.id, label: x.name }));
}

/** A grid form with one primary button; the browser's own validation is off, the API's errors speak. */
export function AdminForm({
  onSubmit,
  submitLabel,
  pending,
  disabled,
  children,
}: {
  onSubmit: () => void;
  submitLabel: string;
  pending: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <form
      className="grid-form"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending || disabled}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** A form's outcome in words: the error next to the button, or what was done. */
export function Outcome({ error, done }: { error: unknown; done: string | null }) {
  return (
    <>
      <ErrorText error={error} />
      <p className="notice" role="status" aria-live="polite">
        {done ?? ''}
      </p>
    </>
  );
}

/** A secret shown once (a new token, a webhook's signing secret), with what to do with it. */
export function Secret({ label, value }: { label: string; value: string }) {
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

export interface Column<T> {
  /** The column's header; an empty string makes an actions column (its header for screen readers only). */
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A scrollable table of records: the first column heads its row; `hiddenCaption` keeps the caption
 * for screen readers only.
 */
export function DataTable<T extends { id: string }>({
  caption,
  hiddenCaption,
  columns,
  rows,
}: {
  caption: string;
  hiddenCaption?: boolean;
  columns: Column<T>[];
  rows: T[];
}) {
  const { t } = useTranslation();
  const [first, ...rest] = columns;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table>
        <caption className={hiddenCaption ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i}>
                {c.header || <span className="sr-only">{t('admin.actions')}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{first.cell(row)}</th>
              {rest.map((c, i) => (
                <td key={i}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A form's state and a setter per field: `const [form, set] = useFormState({...}); set('name')('x')`. */
export function useFormState<F extends Record<string, string>>(
  initial: F,
): [F, (key: keyof F) => (value: string) => void, (next: F) => void] {
  const [form, setForm] = useState(initial);
  const set = (key: keyof F) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return [form, set, setForm];
}

export function names(list: { id: string; name: string }[] | undefined): Map<string, string> {
  return new Map((list ?? []).map((x) => [x.id, x.name]));
}

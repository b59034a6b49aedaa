/**
 * The consoles' building blocks. Every value from the API is rendered as text by Preact (never
 * as HTML), so a lead named `<script>` shows as those characters.
 */
import { cloneElement, isValidElement, type ComponentChildren, type VNode } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from './api';

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title">{title}</h1>
        {actions && <div class="actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Card({ title, children, id }: { title?: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" id={id} aria-label={title}>
      {title && <h2>{title}</h2>}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ComponentChildren; hint?: string }) {
  return (
    <div class="stat" data-stat={label}>
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
      {hint && <div class="stat-hint">{hint}</div>}
    </div>
  );
}

/** An error from the API, with its row and field issues (CSV rows by line). */
export function ErrorBox({ error }: { error: Error | undefined | null }) {
  if (!error) return null;
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div class="error" role="alert">
      <strong>{error.message}</strong>
      {issues.length > 0 && (
        <table class="issues">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Field</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((i, n) => (
              <tr key={n}>
                <td>{i.line ?? i.row ?? ''}</td>
                <td>{i.field ?? ''}</td>
                <td>{i.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export const Loading = ({ what = 'Loading' }: { what?: string }) => (
  <p class="muted" role="status">
    {what}…
  </p>
);

export function Badge({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">—</span>;
  return <span class={`badge badge-${value.replace(/[^a-z0-9_-]/gi, '')}`}>{value.replaceAll('_', ' ')}</span>;
}

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  class?: string;
}

export function Table<T>({
  rows,
  columns,
  empty = 'Nothing yet.',
  rowKey,
  caption,
  id,
}: {
  rows: T[];
  columns: Column<T>[];
  empty?: string;
  rowKey: (row: T) => string;
  caption?: string;
  id?: string;
}) {
  return (
    <div class="table-wrap">
      <table id={id}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" class={c.class} key={c.label}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} class="muted">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c) => (
                  <td class={c.class} key={c.label}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

type FieldProps = { label: string; hint?: string; children: ComponentChildren };

/**
 * A labelled control: the label names it (`for`), the hint describes it (`aria-describedby`), so a
 * screen reader reads "Titles" then the hint, and a click on the label focuses the control.
 */
export function Field({ label, hint, children }: FieldProps) {
  const generated = useId();
  const child = isValidElement(children) ? (children as VNode<Record<string, unknown>>) : null;
  const id = (child?.props.id as string | undefined) ?? generated;
  const control = child ? cloneElement(child, { id, 'aria-describedby': hint ? `${id}-hint` : undefined }) : children;
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {label}
      </label>
      {control}
      {hint && (
        <span class="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function Select({
  value,
  onChange,
  options,
  label,
  name,
}: {
  value: string;
  onChange: (v: string) => void;
  options: (string | [string, string])[];
  label: string;
  name?: string;
}) {
  return (
    <Field label={label}>
      <select name={name} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {options.map((o) => {
          const [v, text] = Array.isArray(o) ? o : [o, o || 'any'];
          return (
            <option value={v} key={v}>
              {text}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

/** The next page of a keyset list, when there is one. */
export const LoadMore = ({ onClick }: { onClick: (() => void) | null }) =>
  onClick ? (
    <button type="button" onClick={onClick}>
      Load more
    </button>
  ) : null;

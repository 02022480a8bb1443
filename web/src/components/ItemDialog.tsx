import { Fragment, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { Alert } from './Alert';
import { Button, type ButtonProps } from './Button';
import { Modal } from './Modal';

/** The buttons at the foot of a dialog: Cancel, then the action, stacked on phones (the action on top). */
export function DialogButtons({ children }: { children: ReactNode }) {
  return <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{children}</div>;
}

/**
 * A dialog about one thing (a torrent, an account, a group): open while `item` is set, its
 * content made anew for each item (`itemKey`), closed by Escape, its ✕ or `onClose`.
 */
export function ItemDialog<T>({
  item,
  itemKey,
  onClose,
  title,
  description,
  children,
  onCloseAutoFocus,
  wide,
}: {
  item: T | null;
  itemKey: (item: T) => string | number;
  onClose: () => void;
  title: (item: T) => ReactNode;
  description?: (item: T) => ReactNode;
  children: (item: T) => ReactNode;
  onCloseAutoFocus?: (e: Event) => void;
  /** A wider dialog (a form of many fields). */
  wide?: boolean;
}) {
  return (
    <Modal
      wide={wide}
      onCloseAutoFocus={onCloseAutoFocus}
      open={item !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={item !== null ? title(item) : ''}
      description={item !== null && description ? description(item) : undefined}
    >
      {item !== null && <Fragment key={itemKey(item)}>{children(item)}</Fragment>}
    </Modal>
  );
}

/**
 * A dialog's form: the failure of its last try (the server's French message), what it asks
 * (`children`), then Cancel and its submit button. Submitting again while `busy` does nothing.
 */
export function DialogForm({
  onSubmit,
  busy,
  error,
  cancelLabel,
  onCancel,
  submit,
  children,
}: {
  onSubmit: () => void;
  busy: boolean;
  /** Shown at the top when set (a mutation's `error`). */
  error?: unknown;
  cancelLabel: string;
  onCancel: () => void;
  /** The submit button: its text (`children`), `busyLabel`, `icon`, `variant`… */
  submit: Omit<ButtonProps, 'type' | 'busy' | 'onClick'>;
  children?: ReactNode;
}) {
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit();
      }}
      className="flex flex-col gap-4"
    >
      {error ? <Alert>{errorMessage(error)}</Alert> : null}
      {children}
      <DialogButtons>
        <Button variant="secondary" onClick={onCancel}>
          {cancelLabel}
        </Button>
        <Button type="submit" busy={busy} {...submit} />
      </DialogButtons>
    </form>
  );
}

import type { ReactNode } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';

/** The foot of a form that saves: "saved" once it is, then its submit button and any other beside it. */
export function SaveFooter({
  saved,
  savedText,
  busy,
  label,
  busyLabel,
  icon,
  children,
}: {
  saved: boolean;
  savedText: string;
  busy: boolean;
  label: string;
  busyLabel: string;
  icon: ReactNode;
  /** Other buttons (tests), beside the submit button. */
  children?: ReactNode;
}) {
  return (
    <>
      {saved && <Alert tone="success">{savedText}</Alert>}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={busy} busyLabel={busyLabel} icon={icon}>
          {label}
        </Button>
        {children}
      </div>
    </>
  );
}

import { ArrowDown, ArrowUp } from 'lucide-react';
import { cx } from '../lib/cx';
import { Button } from './Button';
import { controlBorder, controlClass } from './Field';

/**
 * The sort of a list where its column headers are not shown (phones): a select of the keys and
 * a button that flips the direction. The labels are the caller's (its own translation keys).
 */
export function SortPicker<K extends string>({
  id,
  label,
  keys,
  value,
  keyLabel,
  onKey,
  dir,
  onFlip,
  ascending,
  descending,
}: {
  id: string;
  label: string;
  keys: readonly K[];
  value: K;
  keyLabel: (key: K) => string;
  onKey: (key: K) => void;
  dir: 'asc' | 'desc';
  onFlip: () => void;
  ascending: string;
  descending: string;
}) {
  const Arrow = dir === 'asc' ? ArrowUp : ArrowDown;
  return (
    <div className="flex items-end gap-2">
      <div className="flex flex-1 flex-col gap-1">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <select id={id} value={value} onChange={(e) => onKey(e.target.value as K)} className={cx(controlClass, controlBorder())}>
          {keys.map((k) => (
            <option key={k} value={k}>
              {keyLabel(k)}
            </option>
          ))}
        </select>
      </div>
      <Button variant="secondary" onClick={onFlip} icon={<Arrow aria-hidden="true" className="size-4" />}>
        {dir === 'asc' ? ascending : descending}
      </Button>
    </div>
  );
}

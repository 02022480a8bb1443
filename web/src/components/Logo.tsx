/** The essaim mark: a honeycomb cell. Decorative. */
export function Logo({ className = 'size-7' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={className}>
      <path className="fill-amber-600 dark:fill-amber-400" d="M16 2l12 7v14l-12 7L4 23V9z" />
      <path className="fill-white dark:fill-stone-950" d="M16 9l6 3.5v7L16 23l-6-3.5v-7z" />
    </svg>
  );
}

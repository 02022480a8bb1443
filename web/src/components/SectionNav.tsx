import { useEffect, useState, type MouseEvent } from 'react';
import { cx } from '../lib/cx';

export interface SectionLink {
  /** Id of the section's heading (Card's `titleId`). */
  id: string;
  label: string;
}

/** The section a heading belongs to (what is scrolled to and watched), else the heading itself. */
const sectionOf = (id: string) => {
  const heading = document.getElementById(id);
  return heading?.closest('section') ?? heading;
};

/**
 * The section being read: the first one whose box crosses the band just under the sticky
 * header (null before any has been seen, e.g. without IntersectionObserver).
 */
function useCurrentSection(ids: readonly string[]): string | null {
  const [current, setCurrent] = useState<string | null>(null);
  const key = ids.join(' ');
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return;
    const list = key.split(' ');
    const visible = new Set<string>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset.sectionNav!;
          if (e.isIntersecting) visible.add(id);
          else visible.delete(id);
        }
        const first = list.find((id) => visible.has(id));
        if (first) setCurrent(first);
      },
      // A band from under the header (3.5 rem) to 40 % of the height.
      { rootMargin: '-64px 0px -60% 0px' },
    );
    for (const id of list) {
      const el = sectionOf(id);
      if (!el) continue;
      el.dataset.sectionNav = id;
      observer.observe(el);
    }
    return () => observer.disconnect();
  }, [key]);
  return current;
}

/**
 * Links to the sections of a long page (Réglages): a column that stays in view beside the
 * sections from `lg` on, a compact block of links above them on smaller screens. A link
 * brings its section under the header and gives its heading the focus (so that reading and
 * tabbing go on from there); the section being read is marked (`aria-current`).
 */
export function SectionNav({ label, sections, className }: { label: string; sections: readonly SectionLink[]; className?: string }) {
  const current = useCurrentSection(sections.map((s) => s.id));

  // Opened at `#<section>` (a shared link): the sections only exist now, bring that one into view.
  const [initial] = useState(() => decodeURIComponent(window.location.hash.slice(1)));
  useEffect(() => {
    if (initial && sections.some((s) => s.id === initial)) sectionOf(initial)?.scrollIntoView?.({ block: 'start' });
  }, [initial, sections]);

  function go(e: MouseEvent<HTMLAnchorElement>, id: string) {
    const heading = document.getElementById(id);
    if (!heading) return;
    e.preventDefault();
    const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    sectionOf(id)?.scrollIntoView?.({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    // The address names the section (a link to share), without a new history entry per click.
    window.history.replaceState(window.history.state, '', `#${id}`);
  }

  return (
    <nav aria-label={label} className={cx('lg:sticky lg:top-20 lg:self-start', className)}>
      <ul className="flex flex-wrap gap-2 lg:flex-col lg:gap-0.5 lg:border-l lg:border-stone-200 lg:dark:border-stone-800">
        {sections.map(({ id, label: name }) => {
          const here = current === id;
          return (
            <li key={id}>
              <a
                href={`#${id}`}
                onClick={(e) => go(e, id)}
                aria-current={here ? 'true' : undefined}
                className={cx(
                  'block rounded-md border px-3 py-1.5 text-sm font-medium',
                  'lg:-ml-px lg:rounded-none lg:rounded-r-md lg:border-0 lg:border-l-2 lg:py-2',
                  here
                    ? 'border-amber-600 bg-amber-50 text-amber-900 dark:border-amber-400 dark:bg-amber-500/10 dark:text-amber-200'
                    : 'border-stone-300 text-stone-700 hover:bg-stone-200/70 hover:text-stone-900 lg:border-transparent dark:border-stone-700 dark:text-stone-300 dark:hover:bg-stone-800 dark:hover:text-stone-100',
                )}
              >
                {name}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { IconButton } from './IconAction';
import { ActionMenu } from './Menu';

describe('ActionMenu', () => {
  it('opens, moves with the arrows, runs a command and gives the focus back', () => {
    const remove = vi.fn();
    render(
      <MemoryRouter>
        <ActionMenu
          label="Plus d'actions pour « x »"
          tip="Plus d'actions"
          items={[
            { key: 'details', label: 'Détails', to: '/torrents/x' },
            { key: 'delete', label: 'Supprimer', tone: 'danger', onSelect: remove },
          ]}
        />
      </MemoryRouter>,
    );
    const button = screen.getByRole('button', { name: "Plus d'actions pour « x »" });
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = screen.getAllByRole('menuitem');
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(items[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(items[1]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(items[0]!, { key: 'End' });
    fireEvent.click(document.activeElement!);
    expect(remove).toHaveBeenCalled();
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});

describe('IconButton tooltip', () => {
  it("answers to the button's own hover and focus, not to a row around it", () => {
    render(<IconButton label="Pause « x »" tip="Pause" icon={null} />);
    const tip = screen.getByRole('button').querySelector('[data-tooltip]')!;
    expect(tip.className).toContain('group-hover/tip:opacity-100');
    expect(tip.className).not.toMatch(/(^|\s)group-hover:opacity-100/);
  });
});

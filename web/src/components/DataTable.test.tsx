import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { DataTable, type Column } from './DataTable';

interface Fruit {
  id: number;
  name: string;
  kilos: number;
}

const fruits: Fruit[] = [
  { id: 1, name: 'Pomme', kilos: 12 },
  { id: 2, name: 'Poire', kilos: 3 },
];

const columns: Column<Fruit, 'name' | 'kilos' | 'origin' | 'actions'>[] = [
  { key: 'name', header: 'Nom', rowHeader: true, cell: (f) => f.name },
  { key: 'kilos', header: 'Kg', name: 'Kilogrammes', numeric: true, cell: (f) => f.kilos },
  { key: 'origin', header: 'Origine', sortable: false, cell: () => 'France' },
  {
    key: 'actions',
    name: 'Actions',
    sticky: 'end',
    end: true,
    cell: (f) => <button type="button">Voir {f.name}</button>,
  },
];

describe('DataTable', () => {
  it('is a table named by its caption, with column and row headers', () => {
    render(<DataTable columns={columns} rows={fruits} rowKey={(f) => f.id} caption="Les fruits" testId="fruits" />);
    const table = screen.getByRole('table', { name: 'Les fruits' });
    expect(table.getAttribute('data-testid')).toBe('fruits');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Nom',
      'KgKilogrammes',
      'Origine',
      'Actions',
    ]);
    // The abbreviated header reads its full name; the actions header has only that name.
    expect(within(table).getByRole('columnheader', { name: 'Kilogrammes' }).getAttribute('scope')).toBe('col');
    expect(within(table).getByText('Actions').classList.contains('sr-only')).toBe(true);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('rowheader', { name: 'Pomme' }).getAttribute('scope')).toBe('row');
    expect(within(rows[1]!).getByRole('button', { name: 'Voir Poire' })).toBeTruthy();
  });

  it('without a sort, headers are plain text', () => {
    render(<DataTable columns={columns} rows={fruits} rowKey={(f) => f.id} caption="Les fruits" />);
    expect(screen.queryByRole('button', { name: 'Nom' })).toBeNull();
    expect(screen.getAllByRole('columnheader').every((h) => !h.hasAttribute('aria-sort'))).toBe(true);
  });

  it('with a sort, the headers that have a label are buttons and the sorted one has aria-sort', () => {
    const onSort = vi.fn();
    render(
      <DataTable
        columns={columns}
        rows={fruits}
        rowKey={(f) => f.id}
        caption="Les fruits"
        sort={{ key: 'kilos', dir: 'desc', onSort }}
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'Kilogrammes' }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: 'Nom' }).hasAttribute('aria-sort')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Nom' }));
    expect(onSort).toHaveBeenCalledWith('name');
    // "Origine" opted out; the actions column has no visible header.
    expect(screen.queryByRole('button', { name: 'Origine' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Actions' })).toBeNull();
  });

  it('ascending reads "ascending"', () => {
    render(
      <DataTable
        columns={columns}
        rows={fruits}
        rowKey={(f) => f.id}
        caption="Les fruits"
        sort={{ key: 'name', dir: 'asc', onSort: () => {} }}
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'Nom' }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('gives rows their attributes and keeps the sticky column in view', () => {
    render(
      <DataTable
        columns={columns}
        rows={fruits}
        rowKey={(f) => f.id}
        caption="Les fruits"
        rowProps={(f) => ({ 'data-id': f.id, className: f.kilos < 5 ? 'opacity-60' : undefined })}
      />,
    );
    const row = screen.getByRole('rowheader', { name: 'Poire' }).closest('tr')!;
    expect(row.getAttribute('data-id')).toBe('2');
    expect(row.classList.contains('opacity-60')).toBe(true);
    expect(screen.getByRole('button', { name: 'Voir Poire' }).closest('td')!.className).toMatch(/\bsticky right-0\b/);
  });

  it('shows the empty state instead of an empty table', () => {
    const { rerender } = render(
      <DataTable columns={columns} rows={[]} rowKey={(f) => f.id} caption="Les fruits" empty="Aucun fruit." />,
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('Aucun fruit.').tagName).toBe('P');
    rerender(
      <DataTable columns={columns} rows={[]} rowKey={(f) => f.id} caption="Les fruits" empty={<div role="note">Rien</div>} />,
    );
    expect(screen.getByRole('note').textContent).toBe('Rien');
    // Without an empty state, the headers stay.
    rerender(<DataTable columns={columns} rows={[]} rowKey={(f) => f.id} caption="Les fruits" />);
    expect(screen.getByRole('table', { name: 'Les fruits' })).toBeTruthy();
  });

  it('marks the table busy while other rows are on their way', () => {
    render(<DataTable columns={columns} rows={fruits} rowKey={(f) => f.id} caption="Les fruits" busy />);
    expect(screen.getByRole('table').parentElement!.getAttribute('aria-busy')).toBe('true');
  });
});

describe('DataTable selection', () => {
  it('adds a box per row and "Tout sélectionner", passing Shift along', () => {
    const onRow = vi.fn();
    const onAll = vi.fn();
    render(
      <DataTable
        columns={columns}
        rows={fruits}
        rowKey={(f) => f.id}
        caption="Fruits"
        selection={{
          isSelected: (f) => f.id === 1,
          onRow,
          all: 'mixed',
          onAll,
          allLabel: 'Tout sélectionner',
          rowLabel: (f) => `Sélectionner ${f.name}`,
        }}
      />,
    );
    const all = screen.getByRole('checkbox', { name: 'Tout sélectionner' }) as HTMLInputElement;
    expect(all.indeterminate).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Sélectionner Pomme' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Sélectionner Poire' }), { shiftKey: true });
    expect(onRow).toHaveBeenCalledWith(fruits[1], true);
    fireEvent.click(all);
    expect(onAll).toHaveBeenCalled();
    expect(screen.getAllByRole('row')[1]!.getAttribute('data-selected')).toBe('true');
  });
});
